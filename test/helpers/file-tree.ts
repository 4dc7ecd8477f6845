/** What a test program left in a folder, as sorted lines a test can compare. */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every entry under `dir`, sorted: "d path", "f path \"content\"", "l path -> target".
 * Symlinks are listed, never followed.
 */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const p = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, p));
      if (st.isSymbolicLink()) out.push(`l ${p} -> ${readlinkSync(join(dir, p), 'utf8')}`);
      else if (st.isDirectory()) {
        out.push(`d ${p}`);
        visit(p);
      } else out.push(`f ${p} ${JSON.stringify(readFileSync(join(dir, p), 'latin1'))}`);
    }
  };
  visit('');
  return out.sort();
}
