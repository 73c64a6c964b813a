import type { GatewayTarget } from '../resolve/rack-resolution';

const REMINDER_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** The stderr line shown when the stored session ends within 7 days, or undefined when none is due. */
export function expiryReminder(target: GatewayTarget, now = new Date()): string | undefined {
  if (target.tokenSource !== 'session' || !target.expiresAt) return undefined;
  const remaining = Date.parse(target.expiresAt) - now.getTime();
  if (Number.isNaN(remaining) || remaining <= 0 || remaining > REMINDER_WINDOW_MS) return undefined;
  const days = Math.floor(remaining / (24 * 3600 * 1000));
  const when = days >= 1 ? `in ${days} day${days === 1 ? '' : 's'}` : 'within a day';
  return `Your session for rack "${target.rackName}" expires ${when} (${target.expiresAt}); run: rack-gateway login ${target.rackName}`;
}
