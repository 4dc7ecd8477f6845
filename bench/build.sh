#!/usr/bin/env bash
# Rebuilds the benchmark programs.
#   bench/build.sh          wasm (committed, bench/programs/*.wasm) and native (bench/.work/native/)
#   bench/build.sh wasm     only the wasm modules
#   bench/build.sh native   only the native binaries (never committed)
# With wasm, the programs of `npm run bench:components` are also wrapped as WASI 0.2 components by
# the preview1 adapter in @bytecodealliance/jco (programs/NAME.component.wasm, committed): the same
# core module, so the 0.2 host and preview1 run identical programs.
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

if [[ "$what" == all || "$what" == wasm ]]; then
  for name in write16 stdin smallfiles; do
    "$here/../node_modules/.bin/jco" new "$here/programs/$name.wasm" --wasi-command -o "$here/programs/$name.component.wasm" >/dev/null
    echo "wasm    programs/$name.component.wasm"
  done
fi
