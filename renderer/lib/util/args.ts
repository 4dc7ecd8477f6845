/** Default arguments as the person types them: split on spaces, with quotes grouping. */

/**
 * Splits `text` like a shell would, without expansion: whitespace separates, "double" and
 * 'single' quotes group, a backslash escapes the next character outside single quotes.
 */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inArg = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inArg = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) out.push(cur);
      cur = '';
      inArg = false;
    } else {
      cur += c;
      inArg = true;
    }
  }
  if (inArg) out.push(cur);
  return out;
}

/** The inverse of splitArgs, for showing stored arguments in the text field. */
export function joinArgs(args: readonly string[]): string {
  return args.map((a) => (a === '' ? "''" : /[\s"'\\]/.test(a) ? `"${a.replace(/(["\\])/g, '\\$1')}"` : a)).join(' ');
}
