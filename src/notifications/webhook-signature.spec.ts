import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('signed webhook', () => {
  const secret = 'a-signing-secret-of-some-length';
  const body = '{"id":"1","type":"approval.created"}';
  const now = 1_800_000_000;

  it('signs HMAC-SHA256 over "<timestamp>.<body>" as v1=<hex>', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhook(secret, now, body)).toBe(`v1=${expected}`);
  });

  it('accepts a fresh, correct signature', () => {
    const signature = signWebhook(secret, now, body);
    expect(verifyWebhook(secret, { signature, timestamp: String(now) }, body, now + 10)).toBe('valid');
  });

  it('refuses a changed body, a wrong key, a moved timestamp and a replay outside the window', () => {
    const signature = signWebhook(secret, now, body);
    expect(verifyWebhook(secret, { signature, timestamp: String(now) }, `${body} `, now)).toBe(
      'bad_signature',
    );
    expect(verifyWebhook('another-secret-entirely', { signature, timestamp: String(now) }, body, now)).toBe(
      'bad_signature',
    );
    expect(verifyWebhook(secret, { signature, timestamp: String(now + 1) }, body, now)).toBe('bad_signature');
    expect(verifyWebhook(secret, { signature, timestamp: String(now) }, body, now + 301)).toBe(
      'stale_timestamp',
    );
    expect(verifyWebhook(secret, { signature, timestamp: 'soon' }, body, now)).toBe('malformed');
    expect(verifyWebhook(secret, { timestamp: String(now) }, body, now)).toBe('malformed');
  });
});
