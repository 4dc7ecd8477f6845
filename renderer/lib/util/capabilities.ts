/** Plain-language names for what a module can do (its imported WASI functions, grouped). */
import type { Inspection } from '../../../preload/api.ts';

type Capability = keyof Inspection['capabilities'];

interface CapabilityText {
  title: string;
  detail: string;
}

const TEXT: Record<Capability, CapabilityText> = {
  files: { title: 'Files and folders', detail: 'Can read or change files, but only in folders you grant it.' },
  environment: { title: 'Environment variables', detail: 'Can read variables, but only the ones you allow.' },
  arguments: { title: 'Command-line arguments', detail: 'Reads the arguments it is started with.' },
  clocks: { title: 'Clocks and timers', detail: 'Reads the current time and can wait.' },
  randomness: { title: 'Random numbers', detail: 'Asks for random numbers, for example to make keys or IDs.' },
  sockets: { title: 'Network sockets', detail: 'Can use network connections handed to it; it cannot open new ones.' },
  'process exit': { title: 'Exit status', detail: 'Ends itself with an exit code.' },
  'terminal i/o': { title: 'Terminal', detail: 'Reads what you type and writes to its terminal tab.' },
};

const ORDER: Capability[] = ['files', 'environment', 'sockets', 'randomness', 'clocks', 'arguments', 'terminal i/o', 'process exit'];

/** One row of "What it can do". */
export interface CapabilityRow extends CapabilityText {
  key: Capability;
  functions: string[];
  /** Reaches beyond the sandbox's defaults only with a grant. */
  needsGrant: boolean;
}

/** The capabilities of `inspection`, most significant first. */
export function capabilityRows(inspection: Inspection): CapabilityRow[] {
  const rows: CapabilityRow[] = [];
  for (const key of ORDER) {
    const fns = inspection.capabilities[key];
    if (!fns) continue;
    rows.push({ key, ...TEXT[key], functions: [...fns].sort(), needsGrant: key === 'files' || key === 'environment' });
  }
  return rows;
}

/** "C (clang 18.1.8)" style summary of the producers section, or null. */
export function producersSummary(producers: Inspection['producers']): { language: string | null; tools: string | null } {
  const fmt = (list: { name: string; version: string }[] | undefined): string | null =>
    list && list.length > 0 ? list.map((p) => [p.name, p.version.replace(/\s*\(.*\)\s*$/, '')].filter(Boolean).join(' ')).join(', ') : null;
  return { language: fmt(producers.language), tools: fmt(producers['processed-by']) };
}
