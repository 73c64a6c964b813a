/** Thrown when a JSON text nests objects and arrays deeper than allowed. */
export class JsonTooDeepError extends Error {
  constructor(readonly maxDepth: number) {
    super(`JSON nested deeper than ${maxDepth} levels`);
  }
}

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Measures how deep a UTF-8 JSON text nests, on the raw bytes and without building anything, so a body can
 * be refused before JSON.parse and everything after it (validation, logging) walks a hostile tree.
 * Brackets inside strings do not count; UTF-8 continuation bytes are never ASCII, so a byte scan is exact.
 * Malformed JSON is not judged here: JSON.parse reports it afterwards.
 */
export function assertJsonDepthAtMost(body: Uint8Array, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > maxDepth) throw new JsonTooDeepError(maxDepth);
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
}
