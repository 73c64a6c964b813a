/**
 * Durations as admins write them: one or more `<number><unit>` parts with units s, m, h and d
 * (`90s`, `15m`, `1h30m`, `30d`). Stored and shown in the canonical form `formatDuration` gives, so two
 * spellings of the same length never look like a change.
 */
const PART = /(\d{1,7})([smhd])/g;
const WHOLE = /^(\d{1,7}[smhd])+$/;
const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };

/** Seconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit];
  return seconds;
}

/** The shortest canonical spelling: largest units first, zero parts left out (`0s` for nothing). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = seconds;
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const amount = Math.floor(rest / size);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * size;
  }
  return text;
}
