/**
 * The terminal's write path (renderer/lib/components/terminal/write-batch.ts, issue 14.5), on a real
 * terminal emulator (@xterm/headless): batched output ends up on screen byte for byte as written
 * one message at a time, in order; skipping plain text that scrolls out of the scrollback leaves
 * the screen, the scrollback and the cursor exactly as parsing all of it; anything but plain text
 * is never skipped.
 */
import xterm from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteBatcher, fastForward, fastForwardParts, isPlain, lastLines } from '../../../../renderer/lib/components/terminal/write-batch.ts';

const COLS = 80;
const ROWS = 24;
const SCROLLBACK = 200;
const enc = new TextEncoder();

// The page's frame clock, in Node: a frame every 16 ms.
const g = globalThis as unknown as Record<string, unknown>;
beforeAll(() => {
  g.requestAnimationFrame = (f: () => void) => setTimeout(f, 16);
  g.cancelAnimationFrame = (t: NodeJS.Timeout) => clearTimeout(t);
});
afterAll(() => {
  delete g.requestAnimationFrame;
  delete g.cancelAnimationFrame;
});

const term = (): xterm.Terminal => new xterm.Terminal({ cols: COLS, rows: ROWS, scrollback: SCROLLBACK, convertEol: true, allowProposedApi: true });
const write = (t: xterm.Terminal, d: Uint8Array | string): Promise<void> => new Promise((r) => t.write(d, r));

/** Everything the terminal keeps: each row of the buffer (with its wrap flag), the cursor, the styles at the cursor. */
function state(t: xterm.Terminal): string {
  const b = t.buffer.active;
  const rows: string[] = [];
  for (let i = 0; i < b.length; i++) {
    const line = b.getLine(i)!;
    rows.push(`${line.isWrapped ? '+' : ' '}${line.translateToString()}`);
  }
  return `${rows.join('\n')}\ncursor ${b.cursorX},${b.cursorY} base ${b.baseY} length ${b.length}`;
}

/** Lines of varied plain text (some longer than the terminal is wide, some empty, tabs and CRs). */
function plainText(lines: number, seed = 1): Uint8Array {
  let s = '';
  let x = seed;
  for (let i = 0; i < lines; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const len = x % 150;
    s += `${i}\t${'abcdefghij'.repeat(15).slice(0, len)}${x % 7 === 0 ? '\rover' : ''}\n`;
  }
  return enc.encode(`${s}tail without a newline`);
}

/** The largest single write the last `throughBatcher` made. */
let largestWrite = 0;

/** Feeds `chunks` through a WriteBatcher into `t`; resolves to how many writes it made, once all is parsed. */
async function throughBatcher(t: xterm.Terminal, chunks: Uint8Array[], pauseAfterFirst = false): Promise<number> {
  let writes = 0;
  largestWrite = 0;
  let pendingParse = 0;
  let idle!: () => void;
  const done = new Promise<void>((r) => (idle = r));
  const b = new WriteBatcher({
    write: (d, parsed) => {
      writes++;
      largestWrite = Math.max(largestWrite, d.length);
      pendingParse++;
      t.write(d, () => {
        pendingParse--;
        parsed();
      });
    },
    keptRows: () => SCROLLBACK + ROWS,
  });
  for (const [i, c] of chunks.entries()) {
    b.push(c);
    if (i === 0 && pauseAfterFirst) await new Promise((r) => setTimeout(r, 150)); // a batch of its own
  }
  const poll = setInterval(() => {
    if (pendingParse === 0 && (b as unknown as { pendingBytes: number }).pendingBytes === 0 && !(b as unknown as { scheduled: boolean }).scheduled) idle();
  }, 20);
  await done;
  clearInterval(poll);
  return writes;
}

/**
 * Feeds `chunks` into `t` through a WriteBatcher that knows the screen and whether the view
 * follows the output, one chunk every `everyMs` (a flood over time); resolves once all is parsed,
 * to the writes and bytes xterm got.
 */
async function floodThrough(t: xterm.Terminal, chunks: Uint8Array[], following: () => boolean, everyMs = 8, pauses = new Map<number, number>()): Promise<{ writes: number; bytes: number; sizes: number[] }> {
  const sizes: number[] = [];
  let writes = 0;
  let bytes = 0;
  let pendingParse = 0;
  const b = new WriteBatcher({
    write: (d, parsed) => {
      writes++;
      bytes += d.length;
      sizes.push(d.length);
      pendingParse++;
      t.write(d, () => {
        pendingParse--;
        parsed();
      });
    },
    keptRows: () => SCROLLBACK + ROWS,
    screenRows: () => ROWS,
    following,
  });
  for (const [i, c] of chunks.entries()) {
    b.push(c);
    await new Promise((r) => setTimeout(r, everyMs + (pauses.get(i) ?? 0)));
  }
  const inside = b as unknown as { pendingBytes: number; scheduled: boolean; held: unknown };
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (pendingParse === 0 && inside.pendingBytes === 0 && !inside.scheduled && !inside.held) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
  b.dispose();
  return { writes, bytes, sizes };
}

const chunked = (data: Uint8Array, size = 65536): Uint8Array[] => Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));

describe('write batching', () => {
  it('a flood the person follows is drawn a screen at a time, and ends with the screen, scrollback and cursor of parsing all of it', async () => {
    const text = plainText(60_000, 11);
    const direct = term();
    await write(direct, text);
    const batched = term();
    const { writes, sizes } = await floodThrough(batched, chunked(text), () => true);
    expect(state(batched)).toBe(state(direct));
    // The screen was updated during the flood, a screenful at a time: xterm parsed more than a
    // screenful only for the run's first output (written at once, whole) and once at the flood's end.
    expect(writes).toBeGreaterThan(4);
    const screenful = 24 * 160;
    expect(sizes.filter((n) => n > screenful).length, String(sizes)).toBeLessThanOrEqual(2);
  });

  it('a followed flood that pauses for a moment is still drawn a screen at a time: the tail is written whole once, when it has been quiet', async () => {
    const text = plainText(60_000, 15);
    const direct = term();
    await write(direct, text);
    const batched = term();
    const chunks = chunked(text);
    // Two pauses of 120 ms (main or the page busy for a moment): longer than a batch interval.
    const { sizes } = await floodThrough(batched, chunks, () => true, 8, new Map([[Math.floor(chunks.length / 3), 120], [Math.floor((2 * chunks.length) / 3), 120]]));
    expect(state(batched)).toBe(state(direct));
    const screenful = 24 * 160;
    expect(sizes.filter((n) => n > screenful).length, String(sizes)).toBeLessThanOrEqual(2);
  });

  it('a flood read from further up (the view is not at the bottom) gets the whole kept tail at every batch, and ends the same', async () => {
    const text = plainText(60_000, 12);
    const direct = term();
    await write(direct, text);
    const batched = term();
    const { sizes } = await floodThrough(batched, chunked(text), () => false);
    expect(state(batched)).toBe(state(direct));
    const tail = fastForward(text, SCROLLBACK + ROWS).length;
    expect(sizes.filter((n) => n >= tail).length, String(sizes)).toBeGreaterThan(3);
  });

  it('the view leaving the bottom, or an escape sequence, during a followed flood: the held tail is written first, nothing is lost', async () => {
    const text = plainText(60_000, 13);
    const chunks = [...chunked(text), enc.encode('\x1b[31mred after the flood\n'), ...chunked(plainText(3_000, 14))];
    const direct = term();
    for (const c of chunks) await write(direct, c);
    const batched = term();
    let n = 0;
    // Follows, then reads further up for a while, then follows again.
    await floodThrough(batched, chunks, () => (n++ % 9) < 6, 6);
    expect(state(batched)).toBe(state(direct));
    const red = batched.buffer.active.getLine(batched.buffer.active.length - 1)!;
    expect(red.getCell(0)!.getFgColor()).toBe(1);
  });

  it('many small writes become few, and the terminal ends as with each written in order', async () => {
    const text = plainText(3000);
    const withEscapes = enc.encode('\x1b[31mred\x1b[0m \x1b]0;title\x07é😀 ');
    const all = new Uint8Array([...withEscapes, ...text]);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += 97) chunks.push(all.subarray(i, i + 97));
    const direct = term();
    for (const c of chunks) await write(direct, c);
    const batched = term();
    const writes = await throughBatcher(batched, chunks);
    expect(writes).toBeLessThan(chunks.length / 10);
    expect(state(batched)).toBe(state(direct));
  });

  it("a run's first output is written at once, even in the frame of a re-run's reset, while the last batch is parsed", () => {
    const writes: string[] = [];
    const b = new WriteBatcher({ write: (d) => writes.push(new TextDecoder().decode(d)), keptRows: () => SCROLLBACK + ROWS });
    b.push(enc.encode('first'));
    expect(writes).toEqual(['first']); // never parsed: the batcher still waits for xterm
    b.push(enc.encode('later'));
    expect(writes).toEqual(['first']);
    b.reset(); // a re-run, within the same frame
    b.push(enc.encode('rerun'));
    expect(writes).toEqual(['first', 'rerun']);
    b.dispose();
  });

  it('plain text that scrolls out of the scrollback is skipped, with the same screen, scrollback and cursor', async () => {
    const text = plainText(20_000, 7);
    const kept = fastForward(text, SCROLLBACK + ROWS);
    expect(kept.length).toBeLessThan(text.length / 10);
    for (const before of ['', 'a line already there\nand half of one']) {
      const a = term();
      const b = term();
      await write(a, before);
      await write(b, before);
      await write(a, text);
      await write(b, kept);
      expect(state(b)).toBe(state(a));
    }
    // And through the batcher, from chunks.
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < text.length; i += 65536) chunks.push(text.subarray(i, i + 65536));
    const direct = term();
    await write(direct, text);
    const batched = term();
    await throughBatcher(batched, chunks);
    expect(state(batched)).toBe(state(direct));
  });

  it('skipping from chunks keeps exactly the bytes skipping from the joined text keeps', () => {
    const text = plainText(20_000, 3);
    let x = 5;
    for (let round = 0; round < 40; round++) {
      const parts: Uint8Array[] = [];
      for (let at = 0; at < text.length;) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        const n = round % 4 === 0 ? text.length : 1 + (x % (round % 2 === 0 ? 300_000 : 5_000));
        parts.push(text.subarray(at, at + n));
        at += n;
      }
      for (const rows of [SCROLLBACK + ROWS, 1, 5_000, 30_000]) expect(Buffer.from(fastForwardParts(parts, text.length, rows)).equals(Buffer.from(fastForward(text, rows)))).toBe(true);
    }
  });

  it('while a flood is skipped through, batches start at most every 50 ms (and all of it still arrives)', async () => {
    const starts: number[] = [];
    let last = 0;
    const b = new WriteBatcher({
      write: (d, parsed) => {
        if (d[0] !== undefined && performance.now() - last > 1) starts.push((last = performance.now()));
        setTimeout(parsed, 1);
      },
      keptRows: () => 10,
    });
    const text = plainText(10_000, 9);
    const until = performance.now() + 600;
    while (performance.now() < until) {
      b.push(text);
      await new Promise((r) => setTimeout(r, 4));
    }
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps.length).toBeGreaterThan(3);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45);
    b.dispose();
  });

  it('lastLines keeps at least the last lines, from the line feed before them', () => {
    const dec = (d: Uint8Array): string => new TextDecoder().decode(d);
    expect(dec(lastLines(enc.encode('a\nb\nc\nd'), 2))).toBe('\nb\nc\nd');
    expect(dec(lastLines(enc.encode('a\nb\nc\n'), 2))).toBe('\nb\nc\n');
    expect(dec(lastLines(enc.encode('a\nb'), 5))).toBe('a\nb');
    expect(dec(lastLines(enc.encode('\n'), 0))).toBe('\n');
  });

  it('isPlain looks at every byte: each byte value, at each place in a word, at any alignment', () => {
    const plain = (b: number): boolean => (b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a || b === 0x0d;
    const buf = new Uint8Array(64).fill(0x41);
    for (let b = 0; b < 256; b++) {
      for (let at = 0; at < 24; at++) {
        buf.fill(0x41);
        buf[at + 8] = b;
        for (const [from, to] of [[0, 64], [1, 40], [2, 33], [3, 35], [8 + at, 9 + at], [5, 8 + at + 3]] as const) {
          const view = buf.subarray(from, to);
          const expected = [...view].every(plain);
          if (isPlain(view) !== expected) expect(`isPlain of byte ${b} at ${at + 8 - from} of ${view.length} (offset ${from})`).toBe(String(expected));
        }
      }
    }
    expect(isPlain(new Uint8Array(0))).toBe(true);
  });

  it('never skips once anything but plain text was written: an escape sequence keeps its effect', async () => {
    expect(isPlain(enc.encode('abc\t\r\n~ '))).toBe(true);
    for (const s of ['\x1b', '\x07', '\x7f', '\x00', 'é', '\x9b']) expect(isPlain(enc.encode(`a${s}b`)), JSON.stringify(s)).toBe(false);
    // An escape sequence split across batches: the first batch leaves the parser inside it, and
    // the plain text after it finishes it (as red); skipping part of that text would end it
    // differently.
    const text = plainText(20_000, 3);
    const rest = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) => text.subarray(i * 65536, (i + 1) * 65536));
    const chunks = [enc.encode('\x1b[3'), enc.encode('1mred '), ...rest];
    const direct = term();
    for (const c of chunks) await write(direct, c);
    const batched = term();
    await throughBatcher(batched, chunks, true);
    expect(state(batched)).toBe(state(direct));
    // Nothing was skipped, and xterm got it in pieces it parses without holding the page long.
    expect(largestWrite).toBeLessThanOrEqual(128 * 1024);
    const last = batched.buffer.active.getLine(batched.buffer.active.length - 1)!;
    expect(last.getCell(0)!.getFgColor()).toBe(1);
  });
});
