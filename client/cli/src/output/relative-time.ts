const UNITS: Array<[string, number]> = [
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 hours ago" / "in 5 days"; blank for a missing or zero time (Go's 0001-01-01). */
export function relativeTime(iso: string | undefined, now = new Date()): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time) || new Date(time).getUTCFullYear() <= 1) return '';
  const seconds = Math.round((time - now.getTime()) / 1000);
  const magnitude = Math.abs(seconds);
  for (const [unit, size] of UNITS) {
    if (magnitude >= size || unit === 'second') {
      const count = Math.floor(magnitude / size);
      const phrase = `${count} ${unit}${count === 1 ? '' : 's'}`;
      return seconds < 0 ? `${phrase} ago` : `in ${phrase}`;
    }
  }
  return '';
}

/** Wall-clock length between two times, "1m20s" style, for build durations. */
export function elapsed(startIso: string | undefined, endIso: string | undefined): string {
  if (!startIso || !endIso) return '';
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start || new Date(start).getUTCFullYear() <= 1)
    return '';
  const total = Math.round((end - start) / 1000);
  const minutes = Math.floor(total / 60);
  return minutes ? `${minutes}m${total % 60}s` : `${total}s`;
}
