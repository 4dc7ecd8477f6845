#!/usr/bin/env bash
# Rebuilds the benchmark programs.
#   bench/build.sh          wasm (committed, bench/programs/*.wasm) and native (bench/.work/native/)
#   bench/build.sh wasm     only the wasm modules
#   bench/build.sh native   only the native binaries (never committed)
# CLANG and CC override the compilers (default: clang with --target=wasm32-wasi, and cc).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
what="${1:-all}"
clang_bin="${CLANG:-clang}"
cc_bin="${CC:-cc}"

for src in "$here"/programs/*.c; do
  name="$(basename "$src" .c)"
  if [[ "$what" == all || "$what" == wasm ]]; then
    "$clang_bin" --target=wasm32-wasi -O2 "$src" -o "$here/programs/$name.wasm"
    echo "wasm    programs/$name.wasm"
  fi
  if [[ "$what" == all || "$what" == native ]]; then
    mkdir -p "$here/.work/native"
    "$cc_bin" -O2 "$src" -o "$here/.work/native/$name"
    echo "native  .work/native/$name"
  fi
done
