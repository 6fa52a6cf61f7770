#!/usr/bin/env bash
# Runs the benchmarks: every scripts/bench/<area>.sh, or only the areas named. Each prints `BENCH name=value` lines,
# measured as ratios against a baseline run in the same invocation.
set -uo pipefail
cd "$(dirname "$0")/.."
areas=("$@")
if [ ${#areas[@]} -eq 0 ]; then
  for script in scripts/bench/*.sh; do areas+=("$(basename "$script" .sh)"); done
fi
# Virtual machines that report free pages back to the host (virtio-balloon free page reporting) pay a host fault
# for every page they reuse: page-cache and heap growth then cost two to four times as much and vary run to run.
# Reporting is paused while the benchmarks run (order 11 is above the largest free block) and restored after.
reporting=/sys/module/page_reporting/parameters/page_reporting_order
if [ -w "$reporting" ]; then
  saved_order=$(cat "$reporting")
  trap 'echo "$saved_order" > "$reporting"' EXIT
  echo 11 > "$reporting"
fi
status=0
for area in "${areas[@]}"; do
  script="scripts/bench/$area.sh"
  [ -x "$script" ] || { echo "bench: no benchmark area '$area' (expected $script)" >&2; status=1; continue; }
  echo "== bench $area"
  "$script" || status=1
done
exit $status
