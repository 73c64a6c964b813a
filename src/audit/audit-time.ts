/**
 * Audit times are microseconds since the epoch: PostgreSQL stores exactly that precision, so the string
 * hashed into the chain (`2025-01-02T03:04:05.123456Z`) can be rebuilt from the stored row byte for byte.
 */
let lastMicros = 0n;

/** Now in microseconds, strictly increasing within this process (two events never share a time). */
export function nowMicros(): bigint {
  const now = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  lastMicros = now > lastMicros ? now : lastMicros + 1n;
  return lastMicros;
}

/**
 * RFC 3339 UTC with exactly six fractional digits. In plain numbers (exact below 2^53 µs, the year 2255):
 * the BigInt arithmetic this did before was a visible per-event cost.
 */
export function microsToIso(micros: bigint): string {
  const value = Number(micros);
  const sub = ((value % 1_000_000) + 1_000_000) % 1_000_000;
  const base = new Date(Math.trunc(value / 1000)).toISOString().slice(0, 19);
  return `${base}.${String(sub).padStart(6, '0')}Z`;
}

/** SQL that renders a timestamptz column in the same form (used when reading rows back for verification). */
export function isoMicrosSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
