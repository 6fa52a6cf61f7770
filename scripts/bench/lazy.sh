#!/usr/bin/env bash
# Lazy layer benchmarks (bench/lazy/Soci.Lazy.Bench), every figure a ratio against a baseline measured in the same
# run against a loopback registry (median of 3 runs, 7 for the warm read):
#   lazy.fetch_amplification        (bytes fetched − one average span per file run) / bytes read, for 8 runs of 10
#                                   consecutive files (~1 MiB each run) spread over a 100 MB layer with 1 MiB spans;
#                                   target ≤ 1.5. lazy.fetch_amplification_raw is bytes fetched / bytes read.
#   lazy.cold_read_vs_full_download time to read those files from a cold lazy mount / time to download the whole
#                                   blob, unpack it locally and read them from disk (lower is better)
#   lazy.warm_read_vs_memfs         sequential 1 MiB reads of a 256 MiB file with every span cached (fresh mount,
#                                   cold page cache) / the same through Soci.Fuse's in-memory filesystem; target ≥ 0.9
#   lazy.idle_rss_mb_20_layers      RSS (MB) of a process with 20 Debian-image layers resolved and mounted, idle;
#                                   target ≤ 150 (runs in its own process so earlier buffers do not count)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
project=$repo/bench/lazy/Soci.Lazy.Bench
log=$(mktemp /tmp/soci-bench-lazy-build.XXXXXX)
trap 'rm -f "$log"' EXIT
# Built inside the repository: the test environment finds its scripts relative to the binary.
dotnet build -c Release "$project/Soci.Lazy.Bench.csproj" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
dotnet "$project/bin/Release/net10.0/Soci.Lazy.Bench.dll" all
dotnet "$project/bin/Release/net10.0/Soci.Lazy.Bench.dll" rss
