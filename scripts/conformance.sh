#!/usr/bin/env bash
# Runs containerd's snapshotter conformance suite (tests/conformance) through containerd's proxy client against a
# freshly started out/soci-snapshotter-grpc; stops the daemon and removes what it mounted afterwards.
# Last line: `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/soci-conformance-XXXXXX)
out/soci-snapshotter-grpc --address "$dir/soci.sock" --root "$dir/root" >"$dir/daemon.log" 2>&1 &
daemon=$!
cleanup() {
  kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
  grep -o " $dir[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$dir"
}
trap cleanup EXIT
for _ in $(seq 100); do [ -S "$dir/soci.sock" ] && break; sleep 0.1; done
[ -S "$dir/soci.sock" ] || { cat "$dir/daemon.log" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
tests/conformance/run.sh "$dir/soci.sock"
