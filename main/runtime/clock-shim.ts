/**
 * `clock_time_get` without its precision argument: V8 hands every i64 parameter of a JavaScript
 * import over as a freshly allocated BigInt, and the precision (a hint the runtime ignores) would
 * cost one per call. A ten-instruction wasm module stands in between: the guest calls its export,
 * of the spec's type `(i32 id, i64 precision, i32 out) -> i32`, which calls the host's
 * `(i32 id, i32 out) -> i32` and passes the errno back. Wasm-to-wasm calls convert nothing, so a
 * million clock reads allocate a million BigInts fewer (issue 14.3).
 */

const NAME = [...'clock_time_get'].map((c) => c.charCodeAt(0));

const BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  // types: 0 = (i32, i32) -> i32 (the host's), 1 = (i32, i64, i32) -> i32 (the spec's)
  0x01, 0x0e, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7e, 0x7f, 0x01, 0x7f,
  // import "h" "t": function of type 0
  0x02, 0x07, 0x01, 0x01, 0x68, 0x01, 0x74, 0x00, 0x00,
  // one function of type 1
  0x03, 0x02, 0x01, 0x01,
  // export "clock_time_get" = function 1
  0x07, 0x12, 0x01, 0x0e, ...NAME, 0x00, 0x01,
  // its body: local.get 0, local.get 2, call 0, end
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x20, 0x00, 0x20, 0x02, 0x10, 0x00, 0x0b,
]);

let compiled: WebAssembly.Module | undefined;

/**
 * The `clock_time_get` import for a guest: `host(id, out)` behind the spec's signature, the
 * precision dropped in wasm. Called from JavaScript, it takes the precision as a BigInt like any
 * i64 parameter.
 */
export function clockTimeGetImport(host: (id: number, out: number) => number): (id: number, precision: bigint, out: number) => number {
  compiled ??= new WebAssembly.Module(BYTES);
  const instance = new WebAssembly.Instance(compiled, { h: { t: host } });
  return instance.exports.clock_time_get as (id: number, precision: bigint, out: number) => number;
}
