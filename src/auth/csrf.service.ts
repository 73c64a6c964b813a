import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessRefusal } from '../access-control/access-refusal';
import { CSRF_COOKIE } from '../access-control/credential-parser';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Double-submit CSRF protection bound to the session: the token is HMAC(SESSION_SECRET, session id), sent
 * in the readable `rgw_csrf` cookie and echoed by the page in `X-CSRF-Token`. A forged cross-site request
 * can neither read the cookie nor compute the HMAC. On top, the Origin (or Referer) must be PUBLIC_URL's.
 */
@Injectable()
export class CsrfService {
  private readonly key: string;
  private readonly publicOrigin: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // loadConfig requires SESSION_SECRET in production; dev and test runs always set one too, but a
    // missing one must not silently disable the check.
    if (!config.session.secret) throw new Error('SESSION_SECRET is required for CSRF protection');
    this.key = config.session.secret;
    this.publicOrigin = new URL(config.http.publicUrl).origin;
  }

  tokenFor(sessionId: string): string {
    return createHmac('sha256', this.key).update(`csrf|${sessionId}`).digest('base64url');
  }

  /** Throws 403 unless a cookie-authenticated state-changing request carries the right token and origin. */
  check(method: string, headers: IncomingHttpHeaders, sessionId: string): void {
    if (SAFE_METHODS.has(method.toUpperCase())) return;
    this.checkOrigin(headers);
    this.checkToken(headers, sessionId);
  }

  /** Throws 403 unless the request carries this session's token in the header (a form cannot set one). */
  checkToken(headers: IncomingHttpHeaders, sessionId: string): void {
    const header = headers['x-csrf-token'];
    const presented = typeof header === 'string' ? header : '';
    const expected = Buffer.from(this.tokenFor(sessionId));
    const actual = Buffer.from(presented);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw csrfRefusal(
        'csrf_failed',
        `missing or wrong CSRF token: send the ${CSRF_COOKIE} cookie value in the X-CSRF-Token header`,
      );
    }
  }

  /** Browsers send Origin on every cross-site POST; Referer is the fallback some privacy settings leave. */
  checkOrigin(headers: IncomingHttpHeaders): void {
    const origin = headers.origin ?? refererOrigin(headers.referer);
    if (origin !== this.publicOrigin) {
      throw csrfRefusal(
        'origin_mismatch',
        `the request's Origin/Referer (${origin ?? 'none'}) is not this gateway (${this.publicOrigin})`,
      );
    }
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

function csrfRefusal(error: 'csrf_failed' | 'origin_mismatch', message: string): AccessRefusal {
  return new AccessRefusal('csrf', { error, message }, { rule: error });
}
