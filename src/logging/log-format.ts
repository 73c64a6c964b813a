import type { RuntimeMode } from '../config/app-config';

export type LogFormat = 'pretty' | 'json';

/**
 * Human-readable lines only for a developer watching a terminal: development mode with stdout on a TTY.
 * Production, tests and anything piped (a log shipper, `| jq`, a file) get one JSON object per line.
 */
export function logFormatFor(mode: RuntimeMode, stdoutIsTty: boolean | undefined): LogFormat {
  return mode === 'development' && stdoutIsTty === true ? 'pretty' : 'json';
}
