/**
 * The web transport's frames (preload/wire.ts): byte arrays travel as raw bytes in a binary frame
 * (no base64), everything else as JSON text; a malformed frame is one clear WireError.
 */
import { describe, expect, it } from 'vitest';
import { WireError, decode, encode } from '../../preload/wire.ts';

describe('wire frames', () => {
  it('a message without bytes is JSON text', () => {
    const m = { id: 3, result: { ok: true, value: [1, 'two', null] } };
    const f = encode(m);
    expect(typeof f).toBe('string');
    expect(decode(f)).toEqual(m);
  });

  it('byte arrays travel raw in one binary frame, in order, and come back as views of it', () => {
    const pool = Buffer.from('xxABCDEFyy');
    const a = pool.subarray(2, 8); // a Buffer at an offset in a larger buffer
    const b = new Uint8Array(256).map((_, i) => i);
    const m = { event: 'run.output', payload: { runId: 'r1', data: a, more: [b, new Uint8Array(0)], text: 'é' } };
    const f = encode(m);
    expect(f).toBeInstanceOf(Uint8Array);
    const frame = f as Uint8Array;
    const jsonLength = new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);
    expect(frame.length).toBe(4 + jsonLength + a.length + b.length); // the bytes once, unencoded
    const back = decode(frame) as typeof m;
    expect(Buffer.from(back.payload.data).toString()).toBe('ABCDEF');
    expect([...back.payload.more[0]!]).toEqual([...b]);
    expect(back.payload.more[1]).toEqual(new Uint8Array(0));
    expect(back.payload.text).toBe('é');
    expect(back.payload.data.buffer).toBe(frame.buffer);
    // As the browser receives it: an ArrayBuffer.
    const ab = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.length) as ArrayBuffer;
    expect(Buffer.from((decode(ab) as typeof m).payload.data).toString()).toBe('ABCDEF');
  });

  it.each([
    ['too short for its header', new Uint8Array([1, 2, 3])],
    ['shorter than its JSON', new Uint8Array([10, 0, 0, 0, 123])],
    ['JSON that is not UTF-8', new Uint8Array([2, 0, 0, 0, 0xff, 0xfe])],
    ['not JSON', Uint8Array.from([3, 0, 0, 0, ...Buffer.from('{x}')])],
    ['a byte array past the end', Uint8Array.from([...(() => { const j = Buffer.from('{"d":{"$blob":[0,5]}}'); return [j.length, 0, 0, 0, ...j]; })(), 1, 2])],
    ['a negative offset', Uint8Array.from([...(() => { const j = Buffer.from('{"d":{"$blob":[-1,1]}}'); return [j.length, 0, 0, 0, ...j]; })(), 1, 2])],
    ['a fractional length', Uint8Array.from([...(() => { const j = Buffer.from('{"d":{"$blob":[0,0.5]}}'); return [j.length, 0, 0, 0, ...j]; })(), 1, 2])],
  ])('a binary frame %s is refused with a WireError', (_what, frame) => {
    expect(() => decode(frame)).toThrow(WireError);
  });

  it('text that is not JSON is refused with a WireError', () => {
    expect(() => decode('not json')).toThrow(WireError);
  });
});
