import { inspect } from 'node:util';

/**
 * What went wrong, as one line for `Error: …`: never `undefined` or empty, whatever was thrown. A network
 * failure's useful part (`connect ECONNREFUSED 127.0.0.1:8447`) is in its cause, not in "fetch failed".
 */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error && error.cause.message ? ` (${error.cause.message})` : '';
    if (error.message) return `${error.message}${cause}`;
    if (error instanceof AggregateError && error.errors.length > 0) {
      return error.errors.map((part: unknown) => errorText(part)).join('; ');
    }
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.name} ${code}` : `${error.name} (no message)`;
  }
  if (typeof error === 'string' && error) return error;
  if (error === undefined || error === null || error === '')
    return 'failed without saying why (no error details)';
  return inspect(error, { depth: 2, breakLength: Infinity });
}
