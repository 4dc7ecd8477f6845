/**
 * FdTable.io (the byte calls' descriptor fetch) against `get(fd, 0)`: the same descriptor or the
 * same error, in the same order (`badf`, a revoked grant, an answer taken back), for every kind.
 */
import { describe, expect, it } from 'vitest';
import { Errno, Filetype, RIGHTS_ALL } from '../../main/runtime/abi.ts';
import type { AskAnswer } from '../../main/runtime/ask.ts';
import { WasiError } from '../../main/runtime/errors.ts';
import { type Descriptor, FdTable } from '../../main/runtime/fd-table.ts';

const answer: AskAnswer = { operation: 'read', path: '/x', generation: 0 };
const host = { hostFd: 99, rightsBase: 0, rightsInheriting: 0, fdflags: 0, readOnly: false, hostPath: '/x', ask: false };
const kinds: Record<string, (origin: number, withAnswer: boolean) => Descriptor> = {
  file: (origin, withAnswer) => ({ kind: 'file', filetype: Filetype.regular_file, position: 0, ...host, origin, ...(withAnswer ? { answer } : {}) }),
  dir: (origin, withAnswer) => ({ kind: 'dir', filetype: Filetype.directory, ...host, rightsBase: RIGHTS_ALL, origin, ...(withAnswer ? { answer } : {}) }),
  stdio: () => ({ kind: 'stdio', stream: 1, filetype: Filetype.character_device, rightsBase: RIGHTS_ALL, rightsInheriting: 0, fdflags: 0 }) as Descriptor,
};

/** What `f` gives: the descriptor, or the errno it throws. */
function outcome(f: () => Descriptor): Descriptor | number {
  try {
    return f();
  } catch (err) {
    if (err instanceof WasiError) return err.errno;
    throw err;
  }
}

describe('FdTable.io', () => {
  for (const [kind, make] of Object.entries(kinds)) {
    for (const revoked of [false, true]) {
      for (const withAnswer of [false, true]) {
        for (const takenBack of [false, true]) {
          it(`gives what get(fd, 0) gives: a ${kind}, ${revoked ? 'revoked' : 'granted'}, ${withAnswer ? `an answer ${takenBack ? 'taken back' : 'kept'}` : 'no answer'}`, () => {
            const flags = new Int32Array(2);
            const fds = new FdTable(flags);
            let asked = 0;
            fds.recheck = () => {
              asked++;
              if (takenBack) throw new WasiError(Errno.acces, 'taken back');
            };
            const d = make(1, withAnswer);
            const fd = fds.add(d);
            if (revoked) flags[1] = 1;
            const viaGet = outcome(() => fds.get(fd, 0));
            const askedByGet = asked;
            asked = 0;
            expect(outcome(() => fds.io(fd))).toBe(viaGet);
            expect(asked).toBe(askedByGet);
            const expected = kind === 'stdio' || (!revoked && !(withAnswer && takenBack)) ? d : Errno.acces;
            expect(viaGet).toBe(expected);
          });
        }
      }
    }
  }

  it('answers badf for a descriptor that is not open, as get does', () => {
    const fds = new FdTable(new Int32Array(1));
    expect(outcome(() => fds.io(7))).toBe(Errno.badf);
    expect(outcome(() => fds.get(7, 0))).toBe(Errno.badf);
  });
});
