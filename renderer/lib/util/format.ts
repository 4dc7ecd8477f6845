/** Human-readable numbers and times for the UI. */

/** "20.5 MiB", "145 KiB", "312 B". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** A full local date and time, for tooltips and tables. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** "3 minutes ago", "yesterday", "just now". */
export function formatRelative(iso: string, now = Date.now()): string {
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  const a = Math.abs(s);
  if (a < 45) return 'just now';
  if (a < 3600) return relative.format(Math.round(s / 60), 'minute');
  if (a < 86400) return relative.format(Math.round(s / 3600), 'hour');
  if (a < 86400 * 30) return relative.format(Math.round(s / 86400), 'day');
  return dateTime.format(new Date(iso));
}

/** "1.2 s", "3 min 4 s" between two ISO times. */
export function formatDuration(fromIso: string, toIso: string): string {
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const count = new Intl.NumberFormat();

/** "1,234,567" in the person's locale (one formatter: `Number#toLocaleString` makes one per call). */
export function formatCount(n: number): string {
  return count.format(n);
}

/** Memory of a module from its 64 KiB pages. */
export function formatPages(pages: number): string {
  return formatBytes(pages * 65536);
}

/** The first and last characters of a hash, for tight spaces. */
export function shortHash(sha256: string): string {
  return `${sha256.slice(0, 12)}…${sha256.slice(-6)}`;
}

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** The local time of day with seconds: "14:03:12". */
export function formatClock(iso: string): string {
  return clock.format(new Date(iso));
}

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** The local time of day to the minute: "14:03". */
export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}

/** A short local date and the time with seconds, for logs: "26/11/2026, 14:03:12". */
export function formatTimestamp(iso: string): string {
  return stamp.format(new Date(iso));
}

/** The local date alone: "26 Nov 2026". */
export function formatDay(iso: string): string {
  return day.format(new Date(iso));
}
