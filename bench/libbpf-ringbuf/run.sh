#!/usr/bin/env bash
# Ring buffer consumer benchmark: libbpf's ring_buffer__consume vs Ebpf.Net's RingBufferReader, same object, same
# producer, same run (alternating, so both see the same machine load). Needs root. Skips the libbpf side cleanly
# when libbpf-dev is not installed. Usage: bench/libbpf-ringbuf/run.sh [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-200}
out=${TMPDIR:-/tmp}/ebpf-net-ringbuf-bench
mkdir -p "$out"
dotnet build "$root/bench/Ebpf.EventsBench" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null
dotnet build "$root/tests/Ebpf.Linux.Tests" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null   # compiles bpf/ objects
obj="$root/artifacts/bpf/tests/ringbuf_bench.o"
managed="$root/artifacts/bin/Ebpf.EventsBench/release/Ebpf.EventsBench"
have_libbpf=0
if [ -f /usr/include/bpf/libbpf.h ] && command -v clang >/dev/null; then
  if clang -O2 -o "$out/consumer" "$root/bench/libbpf-ringbuf/consumer.c" -lbpf -lelf -lz 2>"$out/build.log"; then
    have_libbpf=1
  else
    echo "libbpf consumer did not build (see $out/build.log): libbpf side skipped" >&2
  fi
else
  echo "libbpf-dev or clang missing: libbpf side skipped" >&2
fi
for size in 16 256; do
  for i in 1 2 3; do
    [ $have_libbpf = 1 ] && "$out/consumer" "$obj" $size "$rounds"
    "$managed" "$obj" $size "$rounds" consume
    "$managed" "$obj" $size "$rounds" tryread
  done
done
