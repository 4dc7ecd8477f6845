/** Reads an asar archive's index (the format @electron/asar writes): every path, and its files' bytes. */
import fs from 'node:fs';

interface Node {
  files?: Record<string, Node>;
  size?: number;
  offset?: string;
  unpacked?: boolean;
  link?: string;
}

export interface AsarEntry {
  path: string;
  kind: 'dir' | 'file' | 'link';
  unpacked: boolean;
}

export interface Asar {
  entries: AsarEntry[];
  /** A packed file's bytes (null for a missing, unpacked or non-file entry). */
  read(path: string): Buffer | null;
}

/**
 * The layout: a 4-byte pickle holding the header pickle's size, then the header pickle (its
 * payload size, then a length-prefixed JSON string), then the packed files' bytes.
 */
export function readAsar(file: string): Asar {
  const data = fs.readFileSync(file);
  const headerPickle = data.readUInt32LE(4);
  const jsonLength = data.readUInt32LE(12);
  const root = JSON.parse(data.subarray(16, 16 + jsonLength).toString('utf8')) as Node;
  const base = 8 + headerPickle;
  const entries: AsarEntry[] = [];
  const byPath = new Map<string, Node>();
  const walk = (node: Node, prefix: string): void => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const p = prefix === '' ? name : `${prefix}/${name}`;
      byPath.set(p, child);
      entries.push({ path: p, kind: child.files ? 'dir' : child.link !== undefined ? 'link' : 'file', unpacked: child.unpacked === true });
      if (child.files) walk(child, p);
    }
  };
  walk(root, '');
  return {
    entries,
    read(p) {
      const node = byPath.get(p);
      if (!node || node.files || node.unpacked || node.offset === undefined || node.size === undefined) return null;
      const start = base + Number(node.offset);
      return data.subarray(start, start + node.size);
    },
  };
}
