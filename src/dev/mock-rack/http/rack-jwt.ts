import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Role letters as the rack stores them: read, read-write, read-write-admin. */
export type RackRole = 'r' | 'rw' | 'rwa';

const ROLE_BY_NAME: Record<string, RackRole> = { read: 'r', write: 'rw', admin: 'rwa' };

export function roleFromName(name: string): RackRole | undefined {
  return ROLE_BY_NAME[name];
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * The rack's short-lived credentials (`convox rack access`): HS256 tokens with claims `user`, `role`,
 * `expiresAt` (unix seconds), presented as the Basic password with username `jwt`.
 */
export class RackJwt {
  private key = randomBytes(32);

  rotate(): void {
    this.key = randomBytes(32);
  }

  mint(user: string, role: RackRole, durationHours: number): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const expiresAt = Math.floor(Date.now() / 1000) + durationHours * 3600;
    const claims = base64url(JSON.stringify({ user, role, expiresAt }));
    return `${header}.${claims}.${this.sign(`${header}.${claims}`)}`;
  }

  /** Returns the role, or throws with the reason the rack appends to `invalid authentication: `. */
  verify(token: string): RackRole {
    const [header, claims, signature] = token.split('.');
    if (!header || !claims || !signature) throw new Error('token is malformed');
    const expected = Buffer.from(this.sign(`${header}.${claims}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new Error('signature is invalid');
    }
    const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof parsed.expiresAt !== 'number' || parsed.expiresAt * 1000 < Date.now()) {
      throw new Error('token is expired');
    }
    if (parsed.role !== 'r' && parsed.role !== 'rw' && parsed.role !== 'rwa')
      throw new Error('role is invalid');
    return parsed.role;
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}
