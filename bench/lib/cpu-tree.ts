import fs from 'node:fs';
/** CPU seconds of `root`'s descendants (itself included), by kind (the Chromium --type, or the command). */
export function cpuTree(root: number): Map<string, number> {
  const procs: { pid: number; ppid: number; cpu: number; kind: string }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      const type = cmd.find((a) => a.startsWith('--type='))?.slice(7);
      const sub = cmd.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
      procs.push({ pid: Number(d), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100, kind: type ? `chromium ${type}${sub ? ' ' + sub : ''}` : cmd[0]!.split('/').pop()! });
    } catch { /* gone */ }
  }
  const inTree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!inTree.has(p.pid) && inTree.has(p.ppid)) { inTree.add(p.pid); grew = true; }
  }
  const out = new Map<string, number>();
  for (const p of procs) if (inTree.has(p.pid)) out.set(p.pid === root ? 'main (node)' : p.kind, (out.get(p.pid === root ? 'main (node)' : p.kind) ?? 0) + p.cpu);
  return out;
}
