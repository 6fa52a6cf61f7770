#!/bin/bash
# Re-imports containerd's API protos from Debian's golang-github-containerd-containerd-dev into this directory,
# keeping the Go import layout (so `import "github.com/containerd/containerd/api/..."` resolves with
# ProtoRoot=proto) and applying the two edits C# code generation needs (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
SRC=/usr/share/gocode/src
FILES=(
  github.com/containerd/containerd/api/types/mount.proto
  github.com/containerd/containerd/api/types/descriptor.proto
  github.com/containerd/containerd/api/services/snapshots/v1/snapshots.proto
  github.com/containerd/containerd/api/services/content/v1/content.proto
  github.com/containerd/containerd/api/services/leases/v1/leases.proto
  github.com/containerd/containerd/api/services/images/v1/images.proto
  github.com/containerd/containerd/api/services/diff/v1/diff.proto
)
for file in "${FILES[@]}"; do
  mkdir -p "$(dirname "$file")"
  # 1. gogoproto is Go-only decoration; C# codegen would reference its descriptor even through `import weak`.
  # 2. containerd.types.Descriptor clashes with the static `Descriptor` property C# adds to every message.
  sed -E '/import weak "gogoproto\/gogo.proto";/d; /^\s*option \(gogoproto\.[^;]*;/d; s/\s*\[\(gogoproto\.[^]]*\]//g' "$SRC/$file" \
    | sed -E 's/^message Descriptor \{/message OciDescriptor {/; s/containerd\.types\.Descriptor\b/containerd.types.OciDescriptor/g' >"$file"
done
dpkg-query -W -f='${Package} ${Version}\n' golang-github-containerd-containerd-dev >SOURCE-VERSION
