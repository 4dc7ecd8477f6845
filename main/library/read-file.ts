/**
 * Reading a file an install was pointed at (a module, a package's `wasmer.toml`) through one
 * descriptor (secreview2 hole 1): a named pipe, a device or a folder is refused without being
 * read, a file over the cap without being read, and what is checked is what is read (no second
 * lookup of the path between the check and the read).
 */
import fs from 'node:fs';
import { CodedError } from '../shared/coded-error.ts';

/** Why a file was not read. */
export type ReadRefusal =
  | { refused: 'not-file' }
  | { refused: 'too-large'; size: number }
  | { refused: 'error'; code: string };

/** Opening never waits (a FIFO without a writer) and never takes a terminal as ours. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

const errCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/**
 * The bytes of regular file `file` when it is at most `maxBytes` long, else why not. The path is
 * stat'ed first, so a pipe or a device is normally refused without being opened; the descriptor
 * is then checked again (`fstat`) and read: at most the size seen then, so a file that grows
 * while it is read is not read past it.
 */
export function readRegularFile(file: string, maxBytes: number): Uint8Array | ReadRefusal {
  try {
    if (!fs.statSync(file).isFile()) return { refused: 'not-file' };
  } catch (err) {
    return { refused: 'error', code: errCode(err) };
  }
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    return { refused: 'error', code: errCode(err) };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { refused: 'not-file' };
    if (st.size > maxBytes) return { refused: 'too-large', size: st.size };
    const buf = Buffer.allocUnsafeSlow(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = fs.readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === buf.length ? buf : buf.subarray(0, at);
  } catch (err) {
    return { refused: 'error', code: errCode(err) };
  } finally {
    fs.closeSync(fd);
  }
}

/** A module file's bytes (at most `maxBytes`): CodedError `unreadable` or `too-large` otherwise. */
export function readFileCapped(file: string, maxBytes: number): Uint8Array {
  const r = readRegularFile(file, maxBytes);
  if (r instanceof Uint8Array) return r;
  if (r.refused === 'not-file') throw new CodedError('unreadable', `${file} is not a file`);
  if (r.refused === 'too-large') throw new CodedError('too-large', `${file} is ${r.size} bytes, over the limit of ${maxBytes}`);
  throw new CodedError('unreadable', `cannot read ${file}: ${r.code}`);
}
