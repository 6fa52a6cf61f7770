#!/usr/bin/env bash
# End-to-end benchmark of the main job (tools/Soci.Demo --bench): the real Debian image in a loopback registry,
# started five times each way from an empty node, interleaved; medians, as ratios to containerd's own path
# measured in the same run:
#   e2e.lazy_ready_vs_overlayfs       (soci image rpull + ctr run --snapshotter soci of the `soci convert` image)
#                                     / (ctr images pull + ctr run on overlayfs), time to the ready line; target ≤ 0.3
#   e2e.lazy_registry_bytes_fraction  blob bytes the registry served for the lazy start / the image's compressed
#                                     size (from the registry's access log); target ≤ 0.2
#   e2e.fallback_ready_vs_overlayfs   the same lazy commands for the image without an index (local fallback) /
#                                     overlayfs; target ≤ 1.1
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
rounds=${SOCI_BENCH_E2E_ROUNDS:-5}
log=$(mktemp /tmp/soci-bench-e2e-build.XXXXXX)
trap 'rm -f "$log"' EXIT
{ make build && dotnet build -c Release tools/Soci.Demo/Soci.Demo.csproj; } >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
dotnet tools/Soci.Demo/bin/Release/net10.0/Soci.Demo.dll --bench "$rounds"
