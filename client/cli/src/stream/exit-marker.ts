/**
 * Convox exec/run report the remote exit code in-band: a text frame
 * `F1E49A85-0AD7-4AEF-A618-C249C6E6568D:<code>\n`. Frames carry no meaning (a proxy may re-chunk), so
 * the scanner holds back any tail that could be the start of the marker until the next chunk arrives.
 */
export const EXIT_MARKER = 'F1E49A85-0AD7-4AEF-A618-C249C6E6568D:';
const MARKER_BYTES = Buffer.from(EXIT_MARKER, 'ascii');
const MAX_CODE_LENGTH = 16;

/** Length of the longest tail of `data` that is a proper prefix of the marker. */
function partialMarkerLength(data: Buffer): number {
  const longest = Math.min(data.length, MARKER_BYTES.length - 1);
  for (let length = longest; length > 0; length--) {
    if (data.subarray(data.length - length).equals(MARKER_BYTES.subarray(0, length))) return length;
  }
  return 0;
}

export class ExitMarkerScanner {
  private pending = Buffer.alloc(0);
  private state: 'output' | 'code' | 'after' = 'output';
  private codeText = '';
  exitCode: number | undefined;

  /** Feeds one received chunk; returns the bytes that belong on stdout. */
  push(chunk: Buffer): Buffer {
    if (this.state === 'after') return chunk;
    if (this.state === 'code') return this.readCode(chunk);
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const index = data.indexOf(MARKER_BYTES);
    if (index >= 0) {
      this.pending = Buffer.alloc(0);
      this.state = 'code';
      const rest = this.readCode(data.subarray(index + MARKER_BYTES.length));
      return Buffer.concat([data.subarray(0, index), rest]);
    }
    const held = partialMarkerLength(data);
    this.pending = Buffer.from(data.subarray(data.length - held));
    return data.subarray(0, data.length - held);
  }

  /** Call at end of stream: returns any held-back bytes and settles a code cut short by EOF. */
  end(): Buffer {
    if (this.state === 'code') this.settleCode();
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest;
  }

  private readCode(data: Buffer): Buffer {
    const newline = data.indexOf(0x0a);
    const piece = newline >= 0 ? data.subarray(0, newline) : data;
    this.codeText += piece.toString('ascii');
    if (newline < 0 && this.codeText.length <= MAX_CODE_LENGTH) return Buffer.alloc(0);
    this.settleCode();
    // whatever follows the marker line (for instance `ERROR: …`) is ordinary output
    return newline >= 0 ? data.subarray(newline + 1) : Buffer.alloc(0);
  }

  private settleCode(): void {
    this.state = 'after';
    const text = this.codeText.trim();
    if (!/^-?\d+$/.test(text)) throw new Error(`unable to read the exit code from "${text}"`);
    this.exitCode = Number(text);
  }
}
