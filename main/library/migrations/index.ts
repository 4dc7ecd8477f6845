/**
 * Every migration, in order. Forward only: a released migration is never edited.
 *
 * Each is imported by name and made a plain object here, not imported as a namespace: the bundle
 * makes a namespace object with a getter per export (and a `Symbol.toStringTag`), nine of them at
 * every `terrarium run APP`'s start (docs/design/runapp.md, sixth pass).
 */
import type Database from 'better-sqlite3';
import { up as up0001, version as v0001 } from './0001-initial.ts';
import { up as up0002, version as v0002 } from './0002-builds-and-outcomes.ts';
import { up as up0003, version as v0003 } from './0003-catalog-index.ts';
import { up as up0004, version as v0004 } from './0004-ask-mode.ts';
import { up as up0005, version as v0005 } from './0005-run-once-log.ts';
import { up as up0006, version as v0006 } from './0006-grant-identity.ts';
import { up as up0007, version as v0007 } from './0007-bounded-audit-and-revisions.ts';
import { up as up0008, version as v0008 } from './0008-app-kind.ts';
import { up as up0009, version as v0009 } from './0009-module-signatures.ts';
import { after as after0010, up as up0010, version as v0010 } from './0010-name-key.ts';

export interface Migration {
  version: number;
  up: string;
  /** What SQL cannot do (a key computed in JS), run after `up` in the same transaction. */
  after?: (db: Database.Database) => void;
}

export const migrations: Migration[] = [
  { version: v0001, up: up0001 },
  { version: v0002, up: up0002 },
  { version: v0003, up: up0003 },
  { version: v0004, up: up0004 },
  { version: v0005, up: up0005 },
  { version: v0006, up: up0006 },
  { version: v0007, up: up0007 },
  { version: v0008, up: up0008 },
  { version: v0009, up: up0009 },
  { version: v0010, up: up0010, after: after0010 },
];
