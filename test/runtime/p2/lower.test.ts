/**
 * The hybrid bindings' handle checks (main/runtime/p2/lower.ts): a fast path finds a resource
 * through jco's handle tables only for a live handle of the right type; a forged, dropped or
 * foreign handle traps instead of reaching another object. The tables here are made and dropped
 * exactly as jco 0.15's glue does (rscTableCreateOwn / rscTableRemove).
 */
import { describe, expect, it } from 'vitest';
import { type HandleTable, LowerTrap, Resource, adoptStandIns, borrow, otherTable, own, ownTable, tablesOf } from '../../../main/runtime/p2/lower.ts';

const T_FLAG = 1 << 30;
const REP = Symbol.for('cabiRep');
const newTable = (): HandleTable => [T_FLAG, 0];
/** jco's rscTableRemove: the slot joins the free list, its rep word stays behind. */
function drop(table: HandleTable, h: number): void {
  table[h << 1] = table[0]! | T_FLAG;
  table[0] = h | T_FLAG;
}

class Stream extends Resource {
  readonly name: string;
  constructor(name: string) {
    super();
    this.name = name;
  }

  hello(other?: Stream): string {
    return `${this.name}${other === undefined ? '' : `+${other.name}`}`;
  }
}
class Other extends Resource {}
adoptStandIns(Stream);

describe('handles in jco tables', () => {
  it('a live handle finds its object; dropped, reused, forged or foreign handles trap', () => {
    const t = newTable();
    const a = new Stream('a');
    const b = new Stream('b');
    const ha = own(t, a);
    const hb = own(t, b);
    expect([ha, hb]).toEqual([1, 2]);
    expect(borrow([t], ha, Stream)).toBe(a);
    expect(borrow([t], hb, Stream)).toBe(b);
    drop(t, ha);
    a[Symbol.dispose]();
    expect(() => borrow([t], ha, Stream)).toThrow(LowerTrap);
    // The freed slot is reused for a new object: the old handle number now names only that one.
    const c = new Stream('c');
    expect(own(t, c)).toBe(ha);
    expect(borrow([t], ha, Stream)).toBe(c);
    for (const forged of [0, -1, 3, 1 << 29, 2 ** 31, -(2 ** 31), 0x7fffffff]) expect(() => borrow([t], forged, Stream)).toThrow(LowerTrap);
    expect(() => borrow([t], hb, Other)).toThrow(LowerTrap);
  });

  it('a dropped handle traps even before its object is forgotten (the free slot is checked)', () => {
    const t = newTable();
    const a = new Stream('a');
    const h = own(t, a);
    drop(t, h);
    expect(() => borrow([t], h, Stream)).toThrow(LowerTrap);
  });

  it('with two tables, self is found in its own and results go to the other', () => {
    const streams = newTable();
    const errors = newTable();
    const s = new Stream('s');
    const e = new Other();
    const hs = own(streams, s);
    expect(own(errors, e)).toBe(hs); // the same number in both tables
    expect(borrow([errors, streams], hs, Stream)).toBe(s);
    expect(ownTable([errors, streams], hs, Stream)).toBe(streams);
    expect(otherTable([errors, streams], hs, Stream)).toBe(errors);
  });

  it('tables of another shape are refused when the bindings are lowered', () => {
    expect(() => tablesOf({ memory: new WebAssembly.Memory({ initial: 1 }), resourceTables: [[0, 0]] })).toThrow(/unknown shape/);
  });

  it("jco's stand-ins (a bare prototype object holding a rep) reach the real resource, as self and as an argument", () => {
    const t = newTable();
    const a = new Stream('a');
    const b = new Stream('b');
    own(t, a);
    own(t, b);
    const standIn = (o: Resource): Stream => {
      const s = Object.create(Stream.prototype) as Stream;
      Object.defineProperty(s, REP, { writable: true, value: (o as unknown as Record<symbol, number>)[REP] });
      return s;
    };
    expect(standIn(a).hello(standIn(b))).toBe('a+b');
    b[Symbol.dispose]();
    expect(() => standIn(a).hello(standIn(b))).toThrow(LowerTrap);
  });
});
