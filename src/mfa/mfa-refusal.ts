import { AccessRefusal } from '../access-control/access-refusal';
import type { RefusalCode } from '../access-control/access-decision';

/** What a request still owes: a first factor enrolled, the login challenge, a recent or a fresh verification. */
export type MfaRequirement = 'enrollment' | 'login' | 'step_up' | 'always';

export const MFA_REQUIRED_HEADER = 'X-MFA-Required';

/**
 * A request refused for MFA (401 `mfa-required`, 403 for enrolment or a token). The admin API answers `{error, message}`; the rack proxy answers `{error}` where
 * `error` starts with the code and then says exactly what to do, because the convox CLI prints only that
 * string. Either way the `X-MFA-Required` header names the requirement for programs.
 */
export class MfaRefusal extends AccessRefusal {
  constructor(
    readonly requirement: MfaRequirement,
    readonly errorCode: MfaErrorCode,
    message: string,
    forProxy: boolean,
  ) {
    super(
      DECISIONS[errorCode],
      forProxy ? { error: `${errorCode}: ${message}` } : { error: errorCode, message },
      { headers: { [MFA_REQUIRED_HEADER]: requirement } },
    );
  }
}

type MfaErrorCode = 'mfa_enrollment_required' | 'mfa_required' | 'mfa_not_available_for_tokens';

const DECISIONS: Record<MfaErrorCode, RefusalCode> = {
  mfa_enrollment_required: 'mfa-enrollment-required',
  mfa_required: 'mfa-required',
  mfa_not_available_for_tokens: 'mfa-unavailable-for-tokens',
};

const CODE_HOW =
  'send a code from your authenticator app (or a backup code): with the convox CLI put it after your token in ' +
  'RACK_URL as convox:<token>.totp.<code>@<gateway>, or send the header X-MFA-Code: <code>; with rack-gateway ' +
  'add --mfa-code <code> or answer the prompt';

export function mfaRefusal(requirement: MfaRequirement, forProxy: boolean): MfaRefusal {
  switch (requirement) {
    case 'enrollment':
      return new MfaRefusal(
        requirement,
        'mfa_enrollment_required',
        'this gateway requires multi-factor authentication and you have no second factor yet: run `rack-gateway mfa enroll` or enrol in the browser, then retry',
        forProxy,
      );
    case 'login':
      return new MfaRefusal(
        requirement,
        'mfa_required',
        `this session has not completed multi-factor verification: ${CODE_HOW}`,
        forProxy,
      );
    case 'step_up':
      return new MfaRefusal(
        requirement,
        'mfa_required',
        `this action needs a multi-factor verification from the last few minutes: ${CODE_HOW}`,
        forProxy,
      );
    case 'always':
      return new MfaRefusal(
        requirement,
        'mfa_required',
        `this action needs a multi-factor code on this very request (a code works once): ${CODE_HOW}; ` +
          'with a passkey, approve in the console, or press Enter at the rack-gateway prompt to approve in the browser',
        forProxy,
      );
  }
}

export function tokenCannotRefusal(forProxy: boolean): MfaRefusal {
  return new MfaRefusal(
    'always',
    'mfa_not_available_for_tokens',
    'API tokens cannot perform this action: it needs a person with a fresh second factor; use a logged-in session and an MFA code',
    forProxy,
  );
}
