import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Secrets the development stack needs (session and audit keys, the mock rack's password). Generated once
 * and kept under the data folder so a restart keeps sessions valid and the audit chain verifiable.
 */
export function devSecret(dataDir: string, name: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `dev-${name}`);
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * The session and audit keys the development stack runs with: the environment's when set, otherwise the
 * ones kept under the data folder. The launcher and the operator commands both take them from here, so an
 * operator command signs audit events with the very key the running (or next) stack uses.
 */
export function devStackSecrets(
  dataDir: string,
  env: Record<string, string | undefined>,
): { SESSION_SECRET: string; AUDIT_HMAC_SECRET: string } {
  return {
    SESSION_SECRET: env.SESSION_SECRET || devSecret(dataDir, 'session-secret'),
    AUDIT_HMAC_SECRET: env.AUDIT_HMAC_SECRET || devSecret(dataDir, 'audit-hmac-secret'),
  };
}
