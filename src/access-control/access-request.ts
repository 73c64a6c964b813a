import type { Request } from 'express';
import type { Principal } from './principal';

/** Where a credential came from; cookie callers need CSRF protection on state-changing requests. */
export type CredentialSource = 'header' | 'cookie';

/** An Express request after the access chain: `principal` is set on every non-public route. */
export interface AuthenticatedRequest extends Request {
  principal: Principal;
  /** How the credential arrived; cookie callers were CSRF-checked on state-changing requests. */
  credentialSource?: CredentialSource;
  /** An MFA code sent inline after the credential; the MFA guard checks it. */
  inlineMfaCode?: string;
}

/** The same request before authentication (public routes): `principal` may be absent. */
export interface MaybeAuthenticatedRequest extends Request {
  principal?: Principal;
  credentialSource?: CredentialSource;
  inlineMfaCode?: string;
}
