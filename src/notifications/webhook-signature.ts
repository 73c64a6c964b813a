import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-rack-gateway-signature';
export const TIMESTAMP_HEADER = 'x-rack-gateway-timestamp';
export const DELIVERY_HEADER = 'x-rack-gateway-delivery';

/** How far a receiver should accept a timestamp from its own clock (docs/NOTIFICATIONS.md). */
export const REPLAY_WINDOW_SECONDS = 300;

/**
 * `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>`. Signing the timestamp with the body means an old
 * delivery cannot be replayed with a fresh timestamp; receivers refuse timestamps outside the window and
 * remember delivery ids inside it.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookVerdict = 'valid' | 'bad_signature' | 'stale_timestamp' | 'malformed';

/** What a receiver does with a delivery: constant-time comparison, and the replay window. */
export function verifyWebhook(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  windowSeconds = REPLAY_WINDOW_SECONDS,
): WebhookVerdict {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > windowSeconds) return 'stale_timestamp';
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'bad_signature';
}
