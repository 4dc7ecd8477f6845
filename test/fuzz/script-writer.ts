/** Encodes scripts for test/fixtures/fuzz_interp.c (the format is described there). */
import { functionIndex } from './functions.ts';

/** Where a pointer argument points: a raw number, scratch + value, or memory end - value. */
export const Kind = { raw: 0, scratch: 1, fromEnd: 2 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** One argument: how to relocate it and its value. */
export type Arg = [Kind, bigint];

/** Builds one script, op by op. */
export class ScriptWriter {
  private readonly out: number[] = [];

  /** Starts the script; the canary goes in XOR 0xA5. */
  constructor(canary: string) {
    this.bytes(new TextEncoder().encode('TFZ1'));
    const c = new TextEncoder().encode(canary);
    this.u32(c.length);
    this.bytes(c.map((b) => b ^ 0xa5));
  }

  /** Copies `data` to scratch + `offset`; with `iovecs` the interpreter relocates their bases. */
  write(offset: number, data: Uint8Array, iovecs = false): this {
    this.out.push(iovecs ? 4 : 1);
    this.u32(offset);
    this.u32(data.length);
    this.bytes(data);
    return this;
  }

  /** Calls function `fn` (index or name) with `args`. */
  call(fn: number | string, args: Arg[]): this {
    this.out.push(2, typeof fn === 'number' ? fn : functionIndex(fn), args.length);
    for (const [kind, v] of args) {
      this.out.push(kind);
      const m = BigInt.asUintN(64, v);
      this.u32(Number(m & 0xffffffffn));
      this.u32(Number(m >> 32n));
    }
    return this;
  }

  /** The END op: the interpreter scans its memory and writes the results. */
  end(): this {
    this.out.push(3);
    return this;
  }

  bytesOut(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  private bytes(b: Uint8Array): void {
    for (const x of b) this.out.push(x);
  }

  private u32(v: number): void {
    this.out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
}
