#!/bin/sh
# Builds the eBPF datapath's objects: bpf/*.bpf.c -> bpf/build/*.bpf.o (clang -target bpf).
# Called by scripts/bootstrap.sh; safe and fast to run again: an object is rebuilt only when its
# source or this script is newer. Needs clang and the libbpf headers (Debian: clang libbpf-dev).
set -eu
cd "$(dirname "$0")"
say() { printf 'bpf/build.sh: %s\n' "$*" >&2; }

if ! command -v clang >/dev/null 2>&1; then
  say "clang not found: the ebpf datapath will be unavailable (Debian: apt-get install clang llvm libbpf-dev)"
  exit 0
fi
if [ ! -f /usr/include/bpf/bpf_helpers.h ]; then
  say "libbpf headers not found: the ebpf datapath will be unavailable (Debian: apt-get install libbpf-dev)"
  exit 0
fi

# <asm/types.h> lives in the multiarch include directory on Debian.
multiarch=$(gcc -print-multiarch 2>/dev/null || clang -print-target-triple 2>/dev/null | sed 's/-unknown//; s/-pc//')
mkdir -p build
for src in *.bpf.c; do
  obj="build/${src%.c}.o"
  if [ -f "$obj" ] && [ "$obj" -nt "$src" ] && [ "$obj" -nt build.sh ]; then
    continue
  fi
  say "compiling $src"
  clang -O2 -g -Wall -Werror -target bpf \
    -I "/usr/include/$multiarch" \
    -c "$src" -o "$obj.tmp"
  mv "$obj.tmp" "$obj"
done
