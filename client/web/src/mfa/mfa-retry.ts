import { askForMfa, type MfaCredential, type MfaRequirement } from './mfa-prompt';

const REQUIREMENTS = new Set<string>(['login', 'step_up', 'always']);

/** The requirement a refusal names, if the person can meet it here (enrolment has its own page). */
export function mfaRequirementOf(response: Response): MfaRequirement | undefined {
  const header = response.headers.get('X-MFA-Required');
  return header && REQUIREMENTS.has(header) ? (header as MfaRequirement) : undefined;
}

async function bodyOf(response: Response): Promise<{ error?: string; message?: string }> {
  try {
    return (await response.clone().json()) as { error?: string; message?: string };
  } catch {
    return {};
  }
}

/** The retried request's headers for what the person gave: a code or a passkey proof. */
export function withMfaCredential(headers: Headers, credential: MfaCredential | undefined): Headers {
  if (credential && 'code' in credential) headers.set('X-MFA-Code', credential.code);
  if (credential && 'proof' in credential) headers.set('X-MFA-Proof', credential.proof);
  return headers;
}

/**
 * A request the gateway refused for MFA: ask the person, then send it again. For login and step-up the
 * dialog verifies the session first; for an `always` action a code (`X-MFA-Code`) or a single-use passkey
 * proof (`X-MFA-Proof`) travels with the retried request, and a refused one asks again with the server's
 * reason. Cancelling returns the refusal.
 */
export async function retryAfterMfa(
  first: Response,
  resend: (credential: MfaCredential | undefined) => Promise<Response>,
): Promise<Response> {
  let response = first;
  let requirement = mfaRequirementOf(first);
  let error: string | undefined;
  // Five failed codes lock the account anyway; the bound only stops a loop if something else goes wrong.
  for (let round = 0; requirement && round < 6; round += 1) {
    const answer = await askForMfa(requirement, error);
    if (!answer) return response;
    const credential = 'verified' in answer ? undefined : answer;
    response = await resend(credential);
    const body = credential && response.status === 401 ? await bodyOf(response) : {};
    if (body.error === 'mfa_verification_failed') {
      error = body.message;
      continue;
    }
    requirement = mfaRequirementOf(response);
    error = undefined;
  }
  return response;
}
