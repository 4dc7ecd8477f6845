import fs from 'node:fs';
/** CPU seconds of `root`'s descendants (itself included), by kind (the Chromium --type, or the command). */
export function cpuTree(root: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of treeProcs(root)) out.set(p.pid === root ? 'main (node)' : p.kind, (out.get(p.pid === root ? 'main (node)' : p.kind) ?? 0) + p.cpu);
  return out;
}

/** The processes under `root` (itself included): pid, CPU seconds so far, kind (as cpuTree names them). */
export function treeProcs(root: number): { pid: number; ppid: number; cpu: number; kind: string }[] {
  const procs: { pid: number; ppid: number; cpu: number; kind: string }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Chromium rewrites its processes' command lines into one string: its flags are found in it.
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const type = /--type=(\S+)/.exec(cmd)?.[1] ?? (/--renderer-client-id/.test(cmd) ? 'renderer' : /--gpu-preferences/.test(cmd) ? 'gpu-process' : undefined);
      const sub = /--utility-sub-type=\S*?(\w+)\b(?=\s|$)/.exec(cmd)?.[1];
      const chromium = type !== undefined || /chrom/.test(cmd.split(' ')[0]!);
      const kind = chromium ? `chromium ${type ?? 'browser'}${sub ? ` ${sub}` : ''}` : cmd.split(' ')[0]!.split('/').pop()!;
      procs.push({ pid: Number(d), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100, kind });
    } catch { /* gone */ }
  }
  const inTree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!inTree.has(p.pid) && inTree.has(p.ppid)) { inTree.add(p.pid); grew = true; }
  }
  return procs.filter((p) => inTree.has(p.pid));
}

/**
 * CPU seconds of process `pid`'s threads by thread name (/proc/PID/task/TID/comm; the main thread is
 * `main thread`): in the window's process, the main thread, the runs' workers and libuv/V8 helpers apart.
 */
export function cpuThreads(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch { return out; }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = Number(tid) === pid ? 'main thread' : fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch { /* gone */ }
  }
  return out;
}
