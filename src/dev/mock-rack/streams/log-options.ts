import type { SocketSession } from './socket-session';

/** LogsOptions as headers (spec §3.3), with the rack's defaults: follow, 2 minutes back, no prefix. */
export interface LogOptions {
  follow: boolean;
  prefix: boolean;
  sinceMs: number;
  filter?: string;
  tail?: number;
  /** Mock-only: stream exactly this many bytes of log lines as fast as the client takes them, then EOF. */
  streamBytes?: number;
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration for the shapes the CLI sends (`10m0s`, `2m`, `1h30m`, `500ms`). */
export function parseGoDuration(text: string): number | undefined {
  const parts = text.match(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g);
  if (!parts || parts.join('') !== text) return undefined;
  return parts.reduce((total, part) => {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(.+)$/.exec(part) ?? [];
    return total + Number(amount) * UNIT_MS[unit];
  }, 0);
}

function positiveInt(text: string | undefined): number | undefined {
  if (!text || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

export function readLogOptions(session: SocketSession): LogOptions {
  const since = session.header('Since');
  return {
    follow: session.flag('Follow') ?? true,
    prefix: session.flag('Prefix') ?? false,
    sinceMs: (since && parseGoDuration(since)) || 2 * 60_000,
    filter: session.header('Filter') || undefined,
    tail: positiveInt(session.header('Tail')),
    streamBytes: positiveInt(session.header('Mock-Stream-Bytes')),
  };
}
