import { CliError } from './cli-error';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `--timeout 20m`, `--poll-interval 5s`: a whole number with a unit (ms, s, m, h), several summed
 * (`1h30m`); a bare number is seconds. Returns milliseconds.
 */
export function parseDuration(text: string, optionName: string): number {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== value) {
    throw new CliError(`${optionName} must be a duration like 90s, 20m or 1h30m (got "${text}")`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit], 0);
}
