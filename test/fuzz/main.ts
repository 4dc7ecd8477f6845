// npm run fuzz [-- --calls N] [--seed N] [--per-script N] [--deadline SECONDS] [--script SEED]
//               [--overlap 1 | --ask 1]
// Runs a seeded fuzz campaign against Terrarium's runtime and prints calls, seeds, time and
// findings; exits 1 when there is any finding. `--script SEED` reruns one script by its seed;
// `--overlap 1` / `--ask 1` add a third grant (tree.ts variants; issue 9, points 2 and 3).
import { runCampaign, runScript } from './campaign.ts';

const USAGE = 'usage: npm run fuzz -- [--calls N] [--seed N] [--per-script N] [--deadline SECONDS] [--script SEED] [--overlap 1 | --ask 1]';

function parse(argv: string[]): Record<string, number> {
  const o: Record<string, number> = { calls: 20_000, seed: Date.now() % 2 ** 31, 'per-script': 2000, deadline: 60, overlap: 0, ask: 0 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, '');
    const v = Number(argv[++i]);
    if (!(key in o) && key !== 'script') throw new Error(`unknown option ${argv[i - 1]}\n${USAGE}`);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${argv[i - 1]} needs a whole number\n${USAGE}`);
    o[key] = v;
  }
  return o;
}

const o = parse(process.argv.slice(2));
const variant = o.overlap === 1 ? 'overlap' : o.ask === 1 ? 'ask' : 'plain';
if (o.script !== undefined) {
  const findings = await runScript(o.script, o['per-script']!, o.deadline! * 1000, variant);
  for (const f of findings) console.log(`finding: ${f}`);
  console.log(`script ${o.script}: ${o['per-script']} calls, ${findings.length} findings`);
  process.exitCode = findings.length ? 1 : 0;
} else {
  let last = 0;
  const r = await runCampaign({
    seed: o.seed!,
    calls: o.calls!,
    callsPerScript: o['per-script']!,
    deadlineMs: o.deadline! * 1000,
    variant,
    onScript: (done, total, findings) => {
      if (performance.now() - last < 5000 && done < total) return;
      last = performance.now();
      process.stderr.write(`fuzz: ${done}/${total} scripts, ${findings} findings\n`);
    },
  });
  const seen = new Map<string, number[]>();
  for (const f of r.findings) {
    const key = f.message.replace(/^call \d+ /, 'call ');
    seen.set(key, [...(seen.get(key) ?? []), f.scriptSeed]);
  }
  for (const [msg, seeds] of seen) console.log(`finding (${seeds.length}x, e.g. --script ${seeds[0]}): ${msg}`);
  console.log(`seed ${o.seed}: ${r.calls} calls in ${r.scripts} scripts, ${(r.ms / 1000).toFixed(1)} s, ${r.findings.length} findings (${seen.size} distinct)`);
  process.exitCode = r.findings.length ? 1 : 0;
}
