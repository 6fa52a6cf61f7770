#!/usr/bin/env bash
# Runs the benchmarks: every scripts/bench/<area>.sh, or only the areas named. Each prints `BENCH name=value` lines,
# measured as ratios against a baseline run in the same invocation.
set -uo pipefail
cd "$(dirname "$0")/.."
areas=("$@")
if [ ${#areas[@]} -eq 0 ]; then
  for script in scripts/bench/*.sh; do areas+=("$(basename "$script" .sh)"); done
fi
status=0
for area in "${areas[@]}"; do
  script="scripts/bench/$area.sh"
  [ -x "$script" ] || { echo "bench: no benchmark area '$area' (expected $script)" >&2; status=1; continue; }
  echo "== bench $area"
  "$script" || status=1
done
exit $status
