/**
 * How a Convox websocket session ended, from the client's side. The gateway (like a rack) reports an error
 * in-band as a text frame `ERROR: <message>\n` and then closes with a code other than normal closure
 * (4401/4403 refusals and revocations, 1011 when the rack connection was lost).
 */
const IN_BAND_ERROR = Buffer.from('ERROR: ', 'ascii');

/** Close codes that end a stream normally (1005: a close frame without a code). */
const NORMAL_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1001, 1005]);

export function isInBandError(frame: Buffer): boolean {
  return frame.subarray(0, IN_BAND_ERROR.length).equals(IN_BAND_ERROR);
}

export function isNormalClose(code: number): boolean {
  return NORMAL_CLOSE_CODES.has(code);
}

/** The message for a stream that ended abnormally: the in-band error if one came, else the close reason. */
export function abnormalEndMessage(errorFrame: Buffer | undefined, code: number, reason: string): string {
  const inBand = errorFrame?.subarray(IN_BAND_ERROR.length).toString('utf8').trim();
  if (inBand) return inBand;
  if (reason) return reason;
  if (code === 1006) return 'the connection to the gateway was lost before the stream ended';
  return `the stream ended abnormally (websocket close code ${code})`;
}
