/** Characters that are safe in a shell word without quoting. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Convox sends exec/run commands as one string that the rack splits like a shell. Joining the words with
 * bare spaces would turn `sh -c 'exit 3'` into `sh -c exit 3`, so words that are not plain get single-quoted.
 */
export function joinCommandWords(words: string[]): string {
  if (words.length === 1) return words[0];
  return words.map((word) => (PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
