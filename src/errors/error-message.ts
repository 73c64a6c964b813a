import { inspect } from 'node:util';

/**
 * One line that says what went wrong, for a command-line entry point to print: never `undefined`, never an
 * empty line. Nest's HTTP exceptions give their response message (what the API would have said); a
 * connection failure reaching several addresses (an AggregateError with an empty message) gives its parts;
 * anything thrown that is not an Error is described as what it is.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const response = (error as { getResponse?: () => unknown }).getResponse?.();
    const fromResponse = (response as { message?: unknown } | undefined)?.message;
    if (typeof fromResponse === 'string' && fromResponse) return fromResponse;
    if (Array.isArray(fromResponse) && fromResponse.length > 0) return fromResponse.join('; ');
    if (error.message) return error.message;
    if (error instanceof AggregateError && error.errors.length > 0) {
      return [...new Set(error.errors.map((part: unknown) => errorMessage(part)))].join('; ');
    }
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.name} ${code}` : `${error.name} (no message)`;
  }
  if (typeof error === 'string' && error) return error;
  if (error === undefined || error === null || error === '')
    return 'failed without saying why (no error details)';
  return inspect(error, { depth: 2, breakLength: Infinity });
}
