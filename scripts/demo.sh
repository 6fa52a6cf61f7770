#!/usr/bin/env bash
# The main job end to end on this machine: installs what is missing, builds, and runs tools/Soci.Demo (real
# registry, real Debian image, private containerd with our daemon); everything it starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make build
dotnet run --project tools/Soci.Demo/Soci.Demo.csproj -c Release
