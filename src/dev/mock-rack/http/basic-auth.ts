import { createHash, timingSafeEqual } from 'node:crypto';
import type { RackJwt, RackRole } from './rack-jwt';

export type AuthResult = { ok: true; role: RackRole } | { ok: false; message: string };

/**
 * The rack ignores the Basic username (except `jwt`). The CLI sends the password percent-escaped (Go's
 * Userinfo.String), so it is decoded before comparing. Both sides are hashed first so timingSafeEqual
 * always sees equal-length buffers and the comparison leaks neither content nor length.
 */
export function authenticate(authorization: string | undefined, password: string, jwt: RackJwt): AuthResult {
  const credentials = parseBasic(authorization);
  if (credentials?.user === 'jwt') {
    try {
      return { ok: true, role: jwt.verify(credentials.password) };
    } catch (error) {
      return { ok: false, message: `invalid authentication: ${(error as Error).message}` };
    }
  }
  if (password === '') return { ok: true, role: 'rwa' };
  if (!credentials || !sameSecret(credentials.password, password)) {
    return { ok: false, message: 'invalid authentication' };
  }
  return { ok: true, role: 'rwa' };
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: percentDecode(decoded.slice(colon + 1)) };
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** GET (and so every websocket) needs `r`; every other method, HEAD and OPTIONS included, needs `w`. */
export function roleAllows(role: RackRole, method: string): boolean {
  return method === 'GET' ? role.includes('r') : role.includes('w');
}
