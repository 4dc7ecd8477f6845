// Child of proven-cache.test.ts: turns the compile cache on (as the command does), counts the
// self-test's temporary folders, picks the host calls and prints what happened as JSON.
import fs from 'node:fs';
import { enableCompileCache } from '../../../main/compile-cache.js';

enableCompileCache();
let made = 0;
const mkdtemp = fs.mkdtempSync;
fs.mkdtempSync = ((...args: Parameters<typeof mkdtemp>) => {
  if (String(args[0]).includes('terrarium-hostcalls-')) made++;
  return mkdtemp(...args);
}) as typeof mkdtemp;
const { pickHostCalls } = await import('../../../main/runtime/host-calls/index.ts');
const picked = pickHostCalls(process.env);
process.stdout.write(JSON.stringify({ kind: picked.calls.kind, note: picked.note ?? null, selfTests: made }));
