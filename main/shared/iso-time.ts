/**
 * A time as an ISO 8601 UTC string, exactly what `new Date(ms).toISOString()` returns
 * ("2026-12-07T19:21:46.123Z"), without its first-call cost: V8's `toISOString` goes through its
 * date formatting, whose first use in a process sets up ICU's local time zone (its names, and
 * a read of /etc/localtime): ~0.25 ms with a warm file cache, several ms cold, in every command
 * that records or lists a time (docs/design/runapp.md, "Sixth pass"). The UTC parts need no
 * time zone. Plain JavaScript only: the leaf every layer may import.
 */

/** `n` with leading zeros to `width` digits (n ≥ 0). */
function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0000'.slice(0, width - s.length) + s;
}

/**
 * `new Date(ms).toISOString()`. Years outside 0–9999 (six digits and a sign) and an invalid time
 * (a RangeError) are left to `toISOString` itself.
 */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return d.toISOString();
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${
    pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}
