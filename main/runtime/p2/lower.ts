/**
 * The hybrid bindings' fast path (issue 15.6): jco's generated glue costs ~13 µs per host call
 * (task bookkeeping, result objects); a host function that carries `[Symbol.for('cabiLower')]` is
 * asked instead for a core-level function taking the canonical ABI's raw arguments (handles,
 * pointers, lengths, a return pointer), which the guest then calls directly.
 *
 * Resources cross through jco's handle tables (one per resource type, given to a lowering in
 * `resourceTables`): entry `h` is the pair [scope, rep | T_FLAG], and a rep is the number an object
 * gives as `[Symbol.for('cabiRep')]`. Every host resource here gives its own (`Resource`), so
 * a handle made by the glue and one made by a fast path name the same object, found in `live`.
 * A guest handle is checked before use: a wrong, dropped or forged one traps.
 */
/** The symbols of jco's hybrid bindings. */
export const LOWER = Symbol.for('cabiLower');
const REP = Symbol.for('cabiRep');
const DISPOSE = Symbol.for('cabiDispose');
/** Marks an owned entry in jco's handle tables (and a free slot's link). */
const T_FLAG = 1 << 30;

/** One of jco's handle tables: [free-list head, 0, then a [scope, rep | T_FLAG] pair per handle]. */
export type HandleTable = number[];

/** What jco gives a lowering. */
export interface LowerContext {
  memory: WebAssembly.Memory;
  realloc?: (oldPtr: number, oldSize: number, align: number, newSize: number) => number;
  resourceTables?: HandleTable[];
}

/** Host resources by rep, from the first time one crosses to the guest until it is dropped. */
const live = new Map<number, Resource>();
let lastRep = 0;

/** A resource the 0.2 host hands to guests: its rep is its key in `live`. */
export class Resource {
  private rep = 0;

  get [REP](): number {
    if (this.rep === 0) {
      this.rep = ++lastRep;
      live.set(this.rep, this);
    }
    return this.rep;
  }

  /**
   * Called once when the guest drops this: a child's hold on its parent ends (filesystem.ts: a
   * stream or listing keeps its descriptor's fd open until then).
   */
  onDrop: (() => void) | undefined = undefined;

  /** Dropped by the guest: forgotten (subclasses release what they hold, then call this). */
  [Symbol.dispose](): void {
    live.delete(this.rep);
    const f = this.onDrop;
    if (f !== undefined) {
      this.onDrop = undefined;
      f();
    }
  }

  /** The drop of a handle a fast path made (jco's glue never saw the object). */
  static [DISPOSE](rep: number): void {
    live.get(rep)?.[Symbol.dispose]();
  }
}

/** A trap: what the canonical ABI does with a bad handle or pointer. */
export class LowerTrap extends WebAssembly.RuntimeError {}

/** The object behind guest handle `h` in `table`, if it is live and a `type`. */
function inTable<T extends Resource>(table: HandleTable, h: number, type: abstract new (...a: never[]) => T): T | undefined {
  if (!(h > 0 && h < table.length >> 1 && (h | 0) === h)) return undefined;
  const i = 2 * h;
  if ((table[i]! & T_FLAG) !== 0) return undefined; // a free slot
  const o = live.get(table[i + 1]! & ~T_FLAG);
  return o instanceof type ? o : undefined;
}

/** A lowering's handle tables, checked to be jco's shape (a newer jco must fail here, loudly). */
export function tablesOf(c: LowerContext): HandleTable[] {
  const t = c.resourceTables ?? [];
  for (const table of t) {
    if (!Array.isArray(table) || (table[0]! & T_FLAG) === 0) throw new Error('jco handle tables of an unknown shape');
  }
  return t;
}

/**
 * The `type` behind borrowed handle `h`, looked up in each of `tables` (a lowering is given its
 * types' tables in jco's order, not by name; only one holds objects of `type`). Traps otherwise.
 */
export function borrow<T extends Resource>(tables: HandleTable[], h: number, type: abstract new (...a: never[]) => T): T {
  for (const table of tables) {
    const o = inTable(table, h, type);
    if (o !== undefined) return o;
  }
  throw new LowerTrap(`unknown ${type.name} handle ${h}`);
}

/** The table among `tables` that `self` (handle `h`, of `type`) lives in. */
export function ownTable(tables: HandleTable[], h: number, type: abstract new (...a: never[]) => Resource): HandleTable {
  const t = tables.find((x) => inTable(x, h, type) !== undefined);
  if (t === undefined) throw new LowerTrap(`unknown ${type.name} handle ${h}`);
  return t;
}

/** The table among `tables` that is not the one `self` (handle `h`, of `type`) lives in. */
export function otherTable(tables: HandleTable[], h: number, type: abstract new (...a: never[]) => Resource): HandleTable {
  const other = tables.find((t) => inTable(t, h, type) === undefined);
  if (other === undefined || tables.length !== 2) throw new LowerTrap('no table for the result');
  return other;
}

/**
 * A new owned handle for `o` in `table` (as jco's rscTableCreateOwn, less its `_createdReps` set,
 * which jco 0.15 only ever adds to: one entry per handle for the whole run).
 */
export function own(table: HandleTable, o: Resource): number {
  const rep = o[REP];
  const free = table[0]! & ~T_FLAG;
  if (free === 0) {
    table.push(0, rep | T_FLAG);
    return (table.length >> 1) - 1;
  }
  table[0] = table[free << 1]!;
  table[free << 1] = 0;
  table[(free << 1) + 1] = rep | T_FLAG;
  return free;
}

/** The real object for one of jco's stand-ins (an object with its own rep), else `o`. */
function real(o: unknown): unknown {
  if (o === null || typeof o !== 'object' || !Object.hasOwn(o, REP)) return o;
  const found = live.get((o as Record<symbol, number>)[REP]!);
  if (found === undefined) throw new LowerTrap('a dropped resource');
  return found;
}

/**
 * Methods of `type` made safe to call on jco's stand-ins: for a handle its glue did not make, the
 * glue calls a method on (or passes) a bare object of the class's prototype holding only the rep.
 * `internal`: methods the guest never reaches (called on real objects only).
 */
export function adoptStandIns(type: { prototype: object }, internal: readonly string[] = []): void {
  const proto = type.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const f = proto[name];
    if (name === 'constructor' || typeof f !== 'function' || internal.includes(name)) continue;
    const lower = (f as { [LOWER]?: unknown })[LOWER];
    const adopted = function (this: object, ...args: unknown[]): unknown {
      return (f as (...a: unknown[]) => unknown).apply(real(this), args.map(real));
    };
    proto[name] = Object.assign(adopted, lower === undefined ? { [DIRECT]: f } : { [LOWER]: lower, [DIRECT]: f });
  }
}

const DIRECT = Symbol('direct');

/**
 * Method `name` of `type` as it was before adoptStandIns: for a fast path, whose `self` and
 * arguments are always real objects (found by borrow), so it skips the stand-in lookups.
 */
export function direct<F>(type: { prototype: object }, name: string): F {
  const f = (type.prototype as Record<string, unknown>)[name] as { [DIRECT]?: F } & F;
  return f[DIRECT] ?? f;
}
