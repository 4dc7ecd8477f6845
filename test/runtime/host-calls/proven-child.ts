// Child of proven-cache.test.ts: turns the compile cache on (as the command does), counts the
// self-test's temporary folders and the looks for koffi in the folders `require` would search,
// picks the host calls and prints what happened as JSON.
import fs from 'node:fs';
import { enableCompileCache } from '../../../main/compile-cache.js';

enableCompileCache();
let made = 0;
let searched = 0;
const mkdtemp = fs.mkdtempSync;
fs.mkdtempSync = ((...args: Parameters<typeof mkdtemp>) => {
  if (String(args[0]).includes('terrarium-hostcalls-')) made++;
  return mkdtemp(...args);
}) as typeof mkdtemp;
const exists = fs.existsSync;
fs.existsSync = ((p: fs.PathLike) => {
  if (String(p).includes('koffi')) searched++;
  return exists(p);
}) as typeof exists;
const { pickHostCalls } = await import('../../../main/runtime/host-calls/index.ts');
const picked = pickHostCalls(process.env);
// The koffi native modules this process mapped (Linux only: elsewhere none are listed).
const maps = process.platform === 'linux' ? fs.readFileSync('/proc/self/maps', 'utf8') : '';
const opened = [...new Set(maps.split('\n').filter((l) => l.endsWith('koffi.node')).map((l) => l.slice(l.indexOf('/'))))];
process.stdout.write(JSON.stringify({ kind: picked.calls.kind, note: picked.note ?? null, selfTests: made, searched: searched > 0, opened }));
