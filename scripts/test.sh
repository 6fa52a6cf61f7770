#!/usr/bin/env bash
# Runs every test on this machine: installs the system parts that are missing, builds, runs each test project
# (integration tests start their own registry, containerd and daemon on loopback), and ends with the line
# `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

results=TestResults
rm -rf "$results"
mkdir -p "$results"
passed=0
failed=0

# One line per test, plus the message under each failure (the lines after "Error Message:" up to the stack trace).
show_results() {
  awk '/^[[:space:]]+Error Message:/ { print; message = 1; next }
       /^[[:space:]]+Stack Trace:/ { message = 0 }
       message || /^[[:space:]]+(Passed|Failed|Skipped) |Passed!|Failed!| error / { print }'
}

step_failed() { echo "FAILED: $1" >&2; failed=$((failed + 1)); }

scripts/install-deps.sh || { step_failed "install-deps"; echo "$passed passed, $failed failed"; exit 1; }
make build || { step_failed "make build"; echo "$passed passed, $failed failed"; exit 1; }

for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | show_results
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    step_failed "$name produced no results (build error or crashed test host)"
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(grep -o ' passed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  f=$(grep -o ' failed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  e=$(grep -o ' error="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  t=$(grep -o ' timeout="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  a=$(grep -o ' aborted="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done

if [ -x tests/conformance/run.sh ]; then
  echo "== containerd snapshotter conformance suite"
  # Through a file, not `tee /dev/stderr`: reopening stderr truncates it when it is redirected to a log file.
  scripts/conformance.sh > "$results/conformance.log"
  cat "$results/conformance.log"
  if line=$(tail -1 "$results/conformance.log") && [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
  else
    step_failed "conformance suite"
  fi
fi

# Nothing may outlive the tests: no mount or process of a test directory.
leftovers=$(grep -cE ' /tmp/soci-(test|conformance)-' /proc/mounts || true)
[ "$leftovers" -eq 0 ] || step_failed "$leftovers mounts left under /tmp/soci-test-*"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
