#!/usr/bin/env bash
# FUSE benchmarks: Soci.Fuse (bench/fuse/Soci.Fuse.BenchServer) against a minimal libfuse3 low-level server
# (bench/fuse/libfuse_server.c) serving the same tree, measured in the same run on fresh mounts (cold page
# cache). Before each measurement the server is warmed up (a pass of the small-file workload and a short
# read) and the kernel's caches are dropped, so both servers run steady-state code against cold caches.
# The two servers alternate run by run; each figure is the best of RUNS runs, because other work on the machine
# only ever adds time (every sample is printed to stderr). Ratios above 1.0 mean Soci.Fuse is faster.
#   fuse.seq_read_vs_libfuse       one dd of a 1 GiB in-memory file, bs=1M
#   fuse.parallel_read_vs_libfuse  four concurrent dd readers of 256 MiB each
#   fuse.small_files_vs_libfuse    stat+open+read+close of 10,000 4 KiB files
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-5}
work=$(mktemp -d /tmp/soci-bench-fuse.XXXXXX)
mnt=$work/mnt
mkdir -p "$mnt"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
  if grep -q " $mnt " /proc/mounts; then
    umount -l "$mnt"
  fi
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -Wall -Werror -o "$work/libfuse_server" "$repo/bench/fuse/libfuse_server.c" $(pkg-config --cflags --libs fuse3)
gcc -O2 -Wall -Werror -o "$work/smallfiles" "$repo/bench/fuse/smallfiles.c"
dotnet build -c Release -o "$work/soci" "$repo/bench/fuse/Soci.Fuse.BenchServer/Soci.Fuse.BenchServer.csproj" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }

start_server() {
  case "$1" in
    soci) dotnet "$work/soci/Soci.Fuse.BenchServer.dll" "$mnt" 4 >"$work/server.log" 2>&1 & ;;
    libfuse) "$work/libfuse_server" "$mnt" -f -o ro,allow_other,default_permissions,fsname=soci-libfuse,subtype=libfuse >"$work/server.log" 2>&1 & ;;
  esac
  server_pid=$!
  for _ in $(seq 300); do
    grep -q " $mnt " /proc/mounts && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "fuse bench: $1 server did not mount" >&2
  cat "$work/server.log" >&2
  exit 1
}

seq_read() { dd if="$mnt/big.bin" of=/dev/null bs=1M status=none; }

parallel_read() {
  local pids=()
  for i in 0 1 2 3; do
    dd if="$mnt/big.bin" of=/dev/null bs=1M skip=$((i * 256)) count=256 status=none &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
}

small_files() { "$work/smallfiles" "$mnt/small" 10000 >/dev/null; }

# Prints the seconds one workload takes on a fresh mount of the given server.
measure() {
  local kind=$1 workload=$2 start end
  start_server "$kind"
  small_files
  dd if="$mnt/big.bin" of=/dev/null bs=1M count=64 status=none
  sync
  echo 3 >/proc/sys/vm/drop_caches
  # Let the server work off the FORGETs the cache drop sends before the clock starts.
  sleep 0.5
  start=$EPOCHREALTIME
  "$workload"
  end=$EPOCHREALTIME
  stop_server
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }'
}

best() { sort -g | head -n 1; }

bench() {
  local name=$1 workload=$2 soci=() libfuse=() s l
  for _ in $(seq "$runs"); do
    soci+=("$(measure soci "$workload")")
    libfuse+=("$(measure libfuse "$workload")")
  done
  s=$(printf '%s\n' "${soci[@]}" | best)
  l=$(printf '%s\n' "${libfuse[@]}" | best)
  echo "fuse bench: $name soci ${s}s (${soci[*]}) libfuse ${l}s (${libfuse[*]})" >&2
  awk -v s="$s" -v l="$l" -v n="$name" 'BEGIN { printf "BENCH fuse.%s_vs_libfuse=%.2f\n", n, l / s }'
}

bench seq_read seq_read
bench parallel_read parallel_read
bench small_files small_files
