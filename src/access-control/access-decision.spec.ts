import { HttpException } from '@nestjs/common';
import { ACCESS_DECISION_CODES, statusOf, type AccessDecisionCode } from './access-decision';
import { AccessRefusal } from './access-refusal';
import { AuthFailure } from './auth-failure';
import { RateLimitedException } from './rate-limited.exception';

/** The one mapping, as a reviewer should read it: a change here is a change in what clients receive. */
const EXPECTED: Record<AccessDecisionCode, number> = {
  allowed: 200,
  unauthenticated: 401,
  'host-refused': 400,
  csrf: 403,
  'session-required': 403,
  'rate-limited': 429,
  'missing-permission': 403,
  'undeclared-route': 403,
  'unknown-route': 403,
  'invalid-request': 400,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'protected-key': 403,
  'destructive-action-disabled': 403,
  'approval-required': 403,
  'mfa-required': 401,
  'mfa-enrollment-required': 403,
  'mfa-unavailable-for-tokens': 403,
  'audit-unavailable': 503,
  'client-gone': 499,
};

describe('access decision codes', () => {
  it.each(Object.entries(EXPECTED))('answers %s with %i', (code, status) => {
    expect(statusOf(code as AccessDecisionCode)).toBe(status);
  });

  it('maps every code of the closed set, and nothing else', () => {
    expect([...ACCESS_DECISION_CODES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('gives a refusal the status of its code, whatever the thrower would like', () => {
    const refusal = new AccessRefusal('protected-key', {
      error: 'permission denied: env var PORT is protected',
    });
    expect(refusal).toBeInstanceOf(HttpException);
    expect(refusal.getStatus()).toBe(403);
    expect(refusal.getResponse()).toEqual({ error: 'permission denied: env var PORT is protected' });
  });

  it('turns a refusal into the decision the audit trail records', () => {
    const refusal = new AccessRefusal(
      'missing-permission',
      { error: 'forbidden', message: 'permission denied: gateway:user:update' },
      { permission: 'gateway:user:update' },
    );
    expect(refusal.decisionOf('route-permission')).toEqual({
      step: 'route-permission',
      code: 'missing-permission',
      reason: 'permission denied: gateway:user:update',
      permission: 'gateway:user:update',
    });
  });

  it('files a credential failure as unauthenticated with its reason as the rule', () => {
    const failure = new AuthFailure('session_expired');
    expect(failure.getStatus()).toBe(401);
    expect(failure.decisionOf('authentication')).toMatchObject({
      code: 'unauthenticated',
      rule: 'session_expired',
    });
  });

  it('carries Retry-After on a rate limit, for HTTP and websocket answers alike', () => {
    const limited = new RateLimitedException(2.2, 'too many rejected credentials from this address');
    expect(limited.getStatus()).toBe(429);
    expect(limited.headers).toEqual({ 'Retry-After': '3' });
    expect(limited.code).toBe('rate-limited');
  });
});
