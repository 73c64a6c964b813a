import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** The MFA settings the module reads on every decision (never cached at startup). */
export interface MfaSettings {
  /** Every person must enrol and pass the login challenge. */
  requireAllUsers: boolean;
  stepUpWindowSeconds: number;
  /** 0 turns trusted devices off. */
  trustedDeviceTtlSeconds: number;
}

/**
 * Where MFA settings come from. Until the settings registry is available this gives the documented
 * defaults: required in production, not in development and tests (the dev stack's users can still enrol,
 * and an enrolled user is always held to MFA).
 */
@Injectable()
export class MfaPolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async settings(): Promise<MfaSettings> {
    return {
      requireAllUsers: this.config.mode === 'production',
      stepUpWindowSeconds: 600,
      trustedDeviceTtlSeconds: 30 * 86400,
    };
  }
}

export const MFA_ATTEMPT_WINDOW_MS = 5 * 60_000;
/** Failures per family inside the window before further attempts are refused, and before the account locks. */
export const MFA_MAX_FAILURES = 5;
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
