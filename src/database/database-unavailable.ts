/** Socket-level failures: nothing reached PostgreSQL, or the connection to it broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);

/**
 * SQLSTATEs that say the server, not the query, is the problem: class 08 (connection exception), the
 * server shutting down or starting up (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now) and too many connections (53300).
 */
const SERVER_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres and its pool say when a connection ends or cannot be had; they set no code. */
const DRIVER_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /^Client has encountered a connection error and is not queryable/i,
  /^Client was closed and is not queryable/i,
  /^Cannot use a pool after calling end on the pool/i,
  // TypeORM, when a transaction's connection died under it (the driver released the runner on the error).
  /^Query runner already released/i,
];

/**
 * True when `error` (or what it wraps: TypeORM's `driverError`, a `cause`, an AggregateError's `errors`)
 * means the database cannot be reached, as opposed to a query that failed. Such failures are the
 * database's outage, not a bug in the request: callers answer 503 and log them per interval.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || SERVER_STATES.has(code) || code.startsWith('08'))
  )
    return true;
  if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  const inner = [driverError, cause, ...(Array.isArray(errors) ? errors : [])];
  return inner.some((wrapped) => wrapped !== error && isDatabaseUnavailable(wrapped, depth + 1));
}

/** A short reason for the log: the code or message of the innermost connection failure. */
export function unavailableReason(error: unknown): string {
  const { code, message, driverError, cause } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  const wrapped = driverError ?? cause;
  if (wrapped && wrapped !== error && isDatabaseUnavailable(wrapped)) return unavailableReason(wrapped);
  const text = typeof message === 'string' && message !== '' ? message : 'connection failed';
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}
