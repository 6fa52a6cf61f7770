#!/usr/bin/env bash
# ztoc build benchmark on the real Debian test image's layers: our streaming ztoc build (inflate with checkpoints,
# tar headers, span digests) against `pigz -dc` decompressing the same gzip layers, in the same run.
#   ztoc.build_vs_pigz        (uncompressed MB/s of our builds) / (uncompressed MB/s of pigz -dc) over all layers;
#                             >1 = faster. Our time is measured inside the build process (after one warm-up build
#                             of the smallest layer), as `soci create` pays the process start once for all layers;
#                             the ratio with the whole process timed is printed to stderr.
#   ztoc.build_peak_rss_mb    peak resident memory of the build process (must stay bounded for big layers)
# LAYER=path benchmarks one gzip layer file instead. Each figure is the best of RUNS.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-3}
work=$(mktemp -d /tmp/soci-bench-formats.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -n "${LAYER:-}" ]; then
  layers=("$LAYER")
else
  layout=$("$repo/scripts/images/build-debian-image.sh")
  mapfile -t layers < <(python3 - "$layout" <<'PY'
import json, os, sys
layout = sys.argv[1]
def blob(digest):
    return os.path.join(layout, "blobs", *digest.split(":"))
index = json.load(open(os.path.join(layout, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    if layer["mediaType"].endswith("gzip"):
        print(blob(layer["digest"]))
PY
)
fi
uncompressed=0
for layer in "${layers[@]}"; do
  uncompressed=$((uncompressed + $(gzip -dc "$layer" | wc -c)))
done

# A file-based app referencing Soci.Formats only, so the benchmark does not depend on the rest of the CLI.
# It builds every layer given (serializing each ztoc) and prints the seconds the builds took; it is jitted like the
# soci CLI (see src/Soci.Host/Soci.Cli/Soci.Cli.csproj).
mkdir -p "$work/app"
cat > "$work/app/build_ztocs.cs" <<CS
#:project $repo/src/Soci.Formats/Soci.Formats.csproj
#:property TieredCompilationQuickJitForLoops=false
using System.Diagnostics;
using Soci.Formats.Build;
using Soci.Formats.Toc;
var layers = args.ToList();
var smallest = layers.OrderBy(layer => new FileInfo(layer).Length).First();
ZtocSerializer.Serialize(new ZtocBuilder().BuildFromFile(smallest, ZtocBuilder.DefaultSpanSize));
var watch = Stopwatch.StartNew();
foreach (var layer in layers)
{
    ZtocSerializer.Serialize(new ZtocBuilder().BuildFromFile(layer, ZtocBuilder.DefaultSpanSize));
}
Console.WriteLine(watch.Elapsed.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
CS
(cd "$work/app" && dotnet build build_ztocs.cs -c Release -o "$work/bin" >/dev/null)

now() { date +%s.%N; }
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

best_pigz=""
best_build=""
best_process=""
peak_rss=0
for _ in $(seq "$runs"); do
  start=$(now)
  for layer in "${layers[@]}"; do pigz -dc "$layer" > /dev/null; done
  best_pigz=$(min "$best_pigz" "$(echo "$(now) - $start" | bc -l)")

  start=$(now)
  build=$(/usr/bin/time -f '%M' -o "$work/rss" "$work/bin/build_ztocs" "${layers[@]}")
  best_process=$(min "$best_process" "$(echo "$(now) - $start" | bc -l)")
  best_build=$(min "$best_build" "$build")
  rss=$(cat "$work/rss")
  if [ "$rss" -gt "$peak_rss" ]; then peak_rss=$rss; fi
done

echo "formats: ${#layers[@]} layers, $uncompressed uncompressed bytes; pigz ${best_pigz}s, builds ${best_build}s (whole process, with a warm-up build: ${best_process}s)" >&2
printf 'BENCH ztoc.build_vs_pigz=%.2f\n' "$(echo "$best_pigz / $best_build" | bc -l)"
printf 'BENCH ztoc.build_peak_rss_mb=%d\n' "$((peak_rss / 1024))"
