/** argv and environment: `args_*` and `environ_*` (values fixed when the run starts). */
import type { Provider, WasiContext } from '../context.ts';

function sizes(ctx: WasiContext, list: Uint8Array[], countPtr: number, sizePtr: number): number {
  let bytes = 0;
  for (const s of list) bytes += s.length;
  ctx.mem.setU32(countPtr, list.length);
  ctx.mem.setU32(sizePtr, bytes);
  return 0;
}

function fill(ctx: WasiContext, list: Uint8Array[], ptrs: number, buf: number): number {
  let total = 0;
  for (const s of list) total += s.length;
  ctx.mem.check(ptrs, list.length * 4);
  ctx.mem.check(buf, total);
  let at = buf;
  list.forEach((s, i) => {
    ctx.mem.setU32(ptrs + i * 4, at);
    ctx.mem.write(at, s);
    at += s.length;
  });
  return 0;
}

/** The args/environ family. */
export function argsEnv(ctx: WasiContext) {
  return {
    /** Writes argv pointers to `argv` and the NUL-terminated strings to `argv_buf`. */
    args_get: (argv: number, argvBuf: number) => fill(ctx, ctx.args, argv, argvBuf),
    /** Writes argc and the total size of the argument strings. */
    args_sizes_get: (argc: number, size: number) => sizes(ctx, ctx.args, argc, size),
    /** Writes environment pointers and the NUL-terminated `NAME=VALUE` strings. */
    environ_get: (environ: number, buf: number) => fill(ctx, ctx.env, environ, buf),
    /** Writes the count and total size of the environment strings. */
    environ_sizes_get: (count: number, size: number) => sizes(ctx, ctx.env, count, size),
  } satisfies Provider;
}
