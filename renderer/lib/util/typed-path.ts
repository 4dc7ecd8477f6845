/**
 * A path a person typed or pasted into the file browser (issue 13.6), made absolute: surrounding
 * quotes (a copied shell word) and spaces go, `~` is the home folder, and a relative path is taken
 * from the folder on show. Null for nothing usable.
 */
export function typedPath(text: string, home: string, current: string | null): string | null {
  let t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) t = t.slice(1, -1);
  if (t === '') return null;
  if (t === '~' || t.startsWith('~/')) t = home + t.slice(1);
  const windows = /^[A-Za-z]:[\\/]/.test(t) || /^[A-Za-z]:\\/.test(current ?? '');
  const absolute = t.startsWith('/') || /^[A-Za-z]:[\\/]/.test(t);
  if (!absolute) {
    if (current === null) return null;
    const sep = windows ? '\\' : '/';
    t = current.endsWith(sep) ? current + t : current + sep + t;
  }
  return t;
}

/** The folder part and the last name of an absolute path ("/a/b.wasm" → ["/a", "b.wasm"]). */
export function splitLast(p: string): [string, string] | null {
  const m = /^(.*[\\/])([^\\/]+)[\\/]*$/.exec(p);
  if (!m) return null;
  const dir = m[1]!.length > 1 ? m[1]!.replace(/[\\/]+$/, '') : m[1]!;
  return [/^[A-Za-z]:$/.test(dir) ? `${dir}\\` : dir, m[2]!];
}
