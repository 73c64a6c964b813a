import { HttpException, HttpStatus } from '@nestjs/common';

/** What a request still owes: a first factor enrolled, the login challenge, a recent or a fresh verification. */
export type MfaRequirement = 'enrollment' | 'login' | 'step_up' | 'always';

export const MFA_REQUIRED_HEADER = 'X-MFA-Required';

/**
 * A request refused for MFA. The admin API answers `{error, message}`; the rack proxy answers `{error}` where
 * `error` starts with the code and then says exactly what to do, because the convox CLI prints only that
 * string. Either way the `X-MFA-Required` header names the requirement for programs.
 */
export class MfaRefusal extends HttpException {
  constructor(
    readonly requirement: MfaRequirement,
    readonly code: 'mfa_enrollment_required' | 'mfa_required' | 'mfa_not_available_for_tokens',
    message: string,
    status: HttpStatus,
    forProxy: boolean,
  ) {
    super(forProxy ? { error: `${code}: ${message}` } : { error: code, message }, status);
  }
}

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
        HttpStatus.FORBIDDEN,
        forProxy,
      );
    case 'login':
      return new MfaRefusal(
        requirement,
        'mfa_required',
        `this session has not completed multi-factor verification: ${CODE_HOW}`,
        HttpStatus.UNAUTHORIZED,
        forProxy,
      );
    case 'step_up':
      return new MfaRefusal(
        requirement,
        'mfa_required',
        `this action needs a multi-factor verification from the last few minutes: ${CODE_HOW}`,
        HttpStatus.UNAUTHORIZED,
        forProxy,
      );
    case 'always':
      return new MfaRefusal(
        requirement,
        'mfa_required',
        `this action needs a multi-factor code on this very request (a code works once): ${CODE_HOW}`,
        HttpStatus.UNAUTHORIZED,
        forProxy,
      );
  }
}

export function tokenCannotRefusal(forProxy: boolean): MfaRefusal {
  return new MfaRefusal(
    'always',
    'mfa_not_available_for_tokens',
    'API tokens cannot perform this action: it needs a person with a fresh second factor; use a logged-in session and an MFA code',
    HttpStatus.FORBIDDEN,
    forProxy,
  );
}
