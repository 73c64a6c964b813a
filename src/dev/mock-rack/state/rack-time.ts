/** Go encodes time.Time as RFC 3339 without a fractional part when it is zero; we never emit one. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** kubectl --timestamps prints RFC3339Nano with all nine digits. */
export function rfc3339Nano(date: Date, nanosWithinMilli = 0): string {
  const millis = date.toISOString().slice(20, 23);
  const nanos = String(nanosWithinMilli % 1_000_000).padStart(6, '0');
  return `${date.toISOString().slice(0, 19)}.${millis}${nanos}Z`;
}

export function minutesAgo(minutes: number, now = Date.now()): string {
  return rfc3339(new Date(now - minutes * 60_000));
}

/** The zero time.Time, which the CLI renders as blank. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';
