#!/usr/bin/env bash
# ztoc build benchmark: our streaming ztoc build (one zlib pass that reads the tar headers and records
# checkpoints, plus the span-digest pass) against `pigz -dc` decompressing the same gzip layer, in the same run.
#   ztoc.build_vs_pigz        (uncompressed MB/s of our build) / (uncompressed MB/s of pigz -dc); >1 = faster
#   ztoc.build_peak_rss_mb    peak resident memory of the build process (must stay bounded for big layers)
# The layer is a tar of /usr/bin (SOURCE=relative dir under / changes it) compressed with gzip -6;
# LAYER=path uses an existing gzip layer instead. Each figure is the best of RUNS.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-3}
work=$(mktemp -d /tmp/soci-bench-formats.XXXXXX)
trap 'rm -rf "$work"' EXIT

layer=${LAYER:-$work/usr.tar.gz}
if [ -z "${LAYER:-}" ]; then
  # tar exits non-zero when files change while it reads them; the archive is still a valid layer.
  { tar -cf - -C / "${SOURCE:-usr/bin}" 2>/dev/null || true; } | gzip -6 > "$layer"
fi
uncompressed=$(gzip -dc "$layer" | wc -c)

# A file-based app referencing Soci.Formats only, so the benchmark does not depend on the rest of the CLI.
mkdir -p "$work/app"
cat > "$work/app/build_ztoc.cs" <<CS
#:project $repo/src/Soci.Formats/Soci.Formats.csproj
using Soci.Formats.Build;
using Soci.Formats.Toc;
var ztoc = new ZtocBuilder().BuildFromFile(args[0], ZtocBuilder.DefaultSpanSize);
File.WriteAllBytes(args[1], ZtocSerializer.Serialize(ztoc));
CS
(cd "$work/app" && dotnet build build_ztoc.cs -c Release -o "$work/bin" >/dev/null)

seconds() { # run a command, print its elapsed wall seconds
  local start end
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

best_pigz=""
best_build=""
peak_rss=0
for _ in $(seq "$runs"); do
  t=$(seconds sh -c "pigz -dc '$layer' > /dev/null")
  if [ -z "$best_pigz" ] || [ "$(echo "$t < $best_pigz" | bc -l)" = 1 ]; then best_pigz=$t; fi
  t=$(seconds /usr/bin/time -f '%M' -o "$work/rss" "$work/bin/build_ztoc" "$layer" "$work/layer.ztoc")
  if [ -z "$best_build" ] || [ "$(echo "$t < $best_build" | bc -l)" = 1 ]; then best_build=$t; fi
  rss=$(cat "$work/rss")
  if [ "$rss" -gt "$peak_rss" ]; then peak_rss=$rss; fi
done

ratio=$(echo "($uncompressed / $best_build) / ($uncompressed / $best_pigz)" | bc -l)
printf 'BENCH ztoc.build_vs_pigz=%.2f\n' "$ratio"
printf 'BENCH ztoc.build_peak_rss_mb=%d\n' "$((peak_rss / 1024))"
