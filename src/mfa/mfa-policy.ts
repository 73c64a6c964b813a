import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';

/** The MFA settings the module reads on every decision (never cached at startup). */
export interface MfaSettings {
  /** Every person must enrol and pass the login challenge. */
  requireAllUsers: boolean;
  stepUpWindowSeconds: number;
  /** 0 turns trusted devices off. */
  trustedDeviceTtlSeconds: number;
}

/**
 * The MFA settings from the settings registry, read live (the registry caches and is invalidated across
 * processes). `mfa.require_all_users` left at its default means: on in production, off in development and
 * tests, so the dev stack and the test suites work without codes while their users can still enrol.
 */
@Injectable()
export class MfaPolicy {
  constructor(
    private readonly settingsService: SettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async settings(): Promise<MfaSettings> {
    const required = await this.settingsService.read('mfa.require_all_users');
    return {
      requireAllUsers:
        required.source === 'default' ? this.config.mode === 'production' : required.value === true,
      stepUpWindowSeconds: await this.settingsService.get('mfa.step_up_window'),
      trustedDeviceTtlSeconds: await this.settingsService.get('mfa.trusted_device_ttl'),
    };
  }
}

export const MFA_ATTEMPT_WINDOW_MS = 5 * 60_000;
/** Failures per family inside the window before further attempts are refused, and before the account locks. */
export const MFA_MAX_FAILURES = 5;
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
/** A passkey proof for one `always` action is spent on the next request or lost. */
export const ACTION_PROOF_TTL_MS = 2 * 60_000;
