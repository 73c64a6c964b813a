import { createInterface } from 'node:readline';

/**
 * Asks one question on stderr and reads a line from stdin. On a terminal the typed characters are not
 * echoed (an MFA code is short-lived, but it still does not belong in scrollback).
 */
export function promptHidden(
  question: string,
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: input.isTTY === true });
    const writer = rl as unknown as { _writeToOutput?: (text: string) => void };
    output.write(question);
    // readline echoes through _writeToOutput; on a terminal swallow the echo of what is typed.
    if (input.isTTY) writer._writeToOutput = () => undefined;
    rl.once('line', (line) => {
      if (input.isTTY) output.write('\n');
      // Resolve first: close() emits 'close' synchronously, whose handler resolves with ''.
      resolve(line.trim());
      rl.close();
    });
    rl.once('close', () => resolve(''));
  });
}
