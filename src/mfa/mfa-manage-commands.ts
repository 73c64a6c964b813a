import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { UsersService } from '../users/users.service';
import { currentTotpCode } from './factors/totp';
import { TotpService } from './totp.service';

export const MFA_COMMANDS = ['totp-code', 'mfa-rotate-key'] as const;
export type MfaCommand = (typeof MFA_COMMANDS)[number];

export const MFA_USAGE = `  totp-code       --email E   (development only) prints the current TOTP code of E's authenticator
  mfa-rotate-key  re-seals every TOTP secret with MFA_ENCRYPTION_KEY (old key in MFA_ENCRYPTION_KEY_PREVIOUS)`;

export const MFA_COMMAND_ACTIONS: Record<MfaCommand, string> = {
  'totp-code': 'mfa:totp_code_read',
  'mfa-rotate-key': 'mfa:key_rotated',
};

/** Refused before anything starts: a production operator must never be able to read a user's second factor. */
export function assertMfaCommandAllowed(command: string, config: AppConfig): void {
  if (command === 'totp-code' && config.mode === 'production')
    throw new Error('totp-code is a development command and refuses to run with NODE_ENV=production');
}

/** The MFA operator commands; what they print, and what their audit event adds. */
export async function runMfaCommand(
  app: INestApplicationContext,
  command: MfaCommand,
  email: () => string,
): Promise<{ stdout?: string; message?: string; details: Record<string, unknown> }> {
  if (command === 'totp-code') {
    const user = await app.get(UsersService).getByEmail(email());
    const secret = await app.get(TotpService).secretOf(user.id);
    if (!secret)
      throw new Error(`${user.email} has no TOTP method; enrol one first (rack-gateway mfa enroll)`);
    return { stdout: `${currentTotpCode(secret)}\n`, details: { user: user.email } };
  }
  const resealed = await app.get(TotpService).resealAll();
  return {
    message: `re-sealed ${resealed} TOTP secret(s) with the current MFA_ENCRYPTION_KEY`,
    details: { resealed },
  };
}
