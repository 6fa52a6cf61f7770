#!/usr/bin/env bash
# Registry range reads: our client (bench/registry/Soci.Bench.Registry) against curl, both reading the same 1 MiB
# ranges of one 256 MiB blob, one after another over a kept-alive connection, from a loopback docker-registry
# started here, in the same run. Ratios: throughput ours/curl (target >= 0.9), p50 latency ours/curl (target <= 1.2).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/soci-bench-registry.XXXXXX)
registry_pid=""
cleanup() {
  if [ -n "$registry_pid" ]; then
    kill -TERM "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/config.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
  secret: bench
YAML
docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done

head -c $((256 << 20)) /dev/urandom >"$work/blob"
size=$(stat -c %s "$work/blob")
digest="sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)"
location=$(curl -sf -X POST -D - -o /dev/null "http://127.0.0.1:$port/v2/bench/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:"{print $2}')
case "$location" in http*) ;; *) location="http://127.0.0.1:$port$location" ;; esac
sep='?'; case "$location" in *\?*) sep='&' ;; esac
curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$work/blob" "$location${sep}digest=$digest" >/dev/null
rm -f "$work/blob"

dotnet build -c Release -o "$work/bin" "$repo/bench/registry/Soci.Bench.Registry/Soci.Bench.Registry.csproj" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
"$work/bin/Soci.Bench.Registry" "127.0.0.1:$port" bench "$digest" "$size" "${RANGES:-200}" $((1 << 20)) "${RUNS:-3}"
