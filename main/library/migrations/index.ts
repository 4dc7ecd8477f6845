/** Every migration, in order. Forward only: a released migration is never edited. */
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-builds-and-outcomes.ts';
import * as m0003 from './0003-catalog-index.ts';
import * as m0004 from './0004-ask-mode.ts';
import * as m0005 from './0005-run-once-log.ts';
import * as m0006 from './0006-grant-identity.ts';
import * as m0007 from './0007-bounded-audit-and-revisions.ts';
import * as m0008 from './0008-app-kind.ts';
import * as m0009 from './0009-module-signatures.ts';

export interface Migration {
  version: number;
  up: string;
}

export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009];
