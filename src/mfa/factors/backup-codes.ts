import { randomInt } from 'node:crypto';

export const BACKUP_CODE_COUNT = 10;
// No 0/O, 1/I/L: codes are read off paper and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 10;

/** Ten new codes shown as `ABCDE-FGHJK` (about 49 bits each). */
export function newBackupCodes(): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What is hashed: case, dashes and spaces do not matter when a code is typed back. */
export function normalizeBackupCode(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  return compact.length === LENGTH && [...compact].every((c) => ALPHABET.includes(c)) ? compact : undefined;
}
