#!/usr/bin/env bash
# Builds the real test image: Debian bookworm in three gzip layers, as an OCI layout, from Debian's own packages.
#   layer 1  the essential package set (the base every Debian image starts from)
#   layer 2  python3 and a large scientific library set (everything the full package set adds or changes)
#   layer 3  the application: /app/ready.py, which imports a few modules and prints the ready line
# The result is cached by the hash of this recipe, so repeated runs reuse it.
#
# usage: build-debian-image.sh [CACHE_DIR]    prints the OCI layout directory (tag "demo") on stdout
set -euo pipefail

READY_LINE="SOCI-DEMO READY"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=(python3 python3-numpy python3-scipy python3-pandas python3-matplotlib python3-sympy python3-sklearn)

here="$(cd "$(dirname "$0")" && pwd)"
cache_root="${1:-/var/cache/soci-test-images}"
recipe_hash=$( { cat "$0"; echo "$MIRROR ${PACKAGES[*]}"; } | sha256sum | cut -c1-16)
layout="$cache_root/debian-$recipe_hash"

if [ -f "$layout/index.json" ] && [ -f "$layout/.complete" ]; then
  echo "$layout"
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "build-debian-image: must run as root (mmdebstrap keeps file owners)" >&2; exit 1; }
mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.build-XXXXXX")
# --one-file-system: never descend into a /proc or /sys that an interrupted mmdebstrap left mounted.
trap 'rm -rf --one-file-system "$work"' EXIT
log="$work/build.log"
echo "build-debian-image: building $layout (log: $log while it runs)" >&2

# The essential hook snapshots the tree once the essential packages are in: that snapshot is layer 1, and the
# listing taken there tells which paths the rest of the installation added, changed or removed (layer 2).
# apt's package lists and caches are build scaffolding, not image content. In root mode /proc and /sys are mounted
# while hooks run: tar stays on the rootfs but sees those mountpoints change under it, which it reports with exit
# status 1 ("file changed as we read it"); only a status above 1 is a real failure.
scaffolding="--exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*.bin' --exclude='./var/cache/apt/archives/*.deb'"
list_tree='find . -xdev -printf "%P\t%T@\t%s\t%m\t%U\t%G\t%y\t%l\n" | grep -vE "^var/(lib/apt/lists/.|cache/apt/[^/]*\.bin|cache/apt/archives/[^/]*\.deb)" | LC_ALL=C sort'
mmdebstrap --variant=essential --include="$(IFS=,; echo "${PACKAGES[*]}")" \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --essential-hook="cd \"\$1\" && { tar --one-file-system --warning=no-file-changed $scaffolding --numeric-owner --xattrs --xattrs-include='*' -cf '$work/layer1.tar' . ; [ \$? -le 1 ]; } && $list_tree > '$work/essential.list'" \
  --customize-hook="rm -rf \"\$1\"/var/cache/apt/* \"\$1\"/var/lib/apt/lists/*" \
  bookworm "$work/rootfs" "$MIRROR" >"$log" 2>&1 \
  || { tail -20 "$log" >&2; exit 1; }

(cd "$work/rootfs" && eval "$list_tree") > "$work/final.list"

# Paths new or changed since the essential stage (directories included, so owners and modes are carried).
LC_ALL=C comm -13 "$work/essential.list" "$work/final.list" | cut -f1 | grep -v '^$' > "$work/layer2.paths"
# Paths that existed at the essential stage and are gone now become whiteouts.
LC_ALL=C comm -23 <(cut -f1 "$work/essential.list" | LC_ALL=C sort -u) <(cut -f1 "$work/final.list" | LC_ALL=C sort -u) \
  | grep -v '^$' > "$work/removed.paths" || true

mkdir -p "$work/whiteouts"
while IFS= read -r removed; do
  parent=$(dirname "$removed")
  # A removed directory's children need no whiteouts of their own.
  grep -qxF "$parent" "$work/removed.paths" && continue
  mkdir -p "$work/whiteouts/$parent"
  : > "$work/whiteouts/$parent/.wh.$(basename "$removed")"
done < "$work/removed.paths"

tar --numeric-owner --xattrs --xattrs-include='*' --no-recursion -C "$work/rootfs" -T "$work/layer2.paths" -cf "$work/layer2.tar"
if [ -s "$work/removed.paths" ]; then
  tar --numeric-owner --owner=0 --group=0 -C "$work/whiteouts" -rf "$work/layer2.tar" .
fi

mkdir -p "$work/app/app"
cat > "$work/app/app/ready.py" <<PY
# The demo workload: starts the interpreter and imports a few standard modules, touching a small part of the image.
import json, email.parser, http.client, decimal, sqlite3
print("$READY_LINE", flush=True)
PY
tar --numeric-owner --owner=0 --group=0 -C "$work/app" -cf "$work/layer3.tar" app

umoci init --layout "$work/oci"
umoci new --image "$work/oci:demo"
for n in 1 2 3; do
  umoci raw add-layer --image "$work/oci:demo" "$work/layer$n.tar"
done
umoci config --image "$work/oci:demo" \
  --config.cmd python3 --config.cmd /app/ready.py \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.workingdir / \
  --config.label "org.soci.test.ready-line=$READY_LINE" \
  --os linux --architecture amd64
umoci gc --layout "$work/oci"

du -sb "$work/layer1.tar" "$work/layer2.tar" "$work/layer3.tar" >&2
rm -rf "$layout"
mv "$work/oci" "$layout"
touch "$layout/.complete"
echo "$layout"
