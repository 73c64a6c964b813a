/**
 * An error whose message is meant for the person at the terminal: the entry point prints
 * `Error: <message>` on stderr and exits with `exitCode`, never a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
