import type { CookieOptions, Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { CSRF_COOKIE, SESSION_COOKIE } from '../access-control/credential-parser';

/**
 * Host-only (no Domain), Path=/, SameSite=Lax, Secure everywhere but local development and tests (which run
 * on plain http://127.0.0.1). No Max-Age: the browser forgets them on exit and the server enforces expiry.
 */
function baseOptions(config: AppConfig): CookieOptions {
  return { path: '/', sameSite: 'lax', secure: config.mode === 'production' };
}

export function setSessionCookies(res: Response, config: AppConfig, token: string, csrfToken: string): void {
  res.cookie(SESSION_COOKIE, token, { ...baseOptions(config), httpOnly: true });
  // Readable by the page on purpose: it echoes the value in X-CSRF-Token (double submit).
  res.cookie(CSRF_COOKIE, csrfToken, { ...baseOptions(config), httpOnly: false });
}

export function clearSessionCookies(res: Response, config: AppConfig): void {
  res.clearCookie(SESSION_COOKIE, { ...baseOptions(config), httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...baseOptions(config), httpOnly: false });
}
