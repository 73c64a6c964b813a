import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { cliMfaApi } from '../api/cli-mfa';
import { mfaApi } from '../api/mfa';

/** The authenticator's answer to a sign-in challenge the gateway issued for this browser session. */
async function sessionAssertion(): Promise<Record<string, unknown>> {
  const options = await mfaApi.authenticationOptions();
  return (await startAuthentication({ optionsJSON: options as never })) as unknown as Record<string, unknown>;
}

/**
 * Verifies this session with a passkey: the gateway issues a challenge bound to this session, the browser
 * asks the authenticator, and the gateway checks the assertion (and its signature counter).
 */
export async function verifyWithPasskey(trustDevice = false): Promise<void> {
  await mfaApi.verify({ webauthn: await sessionAssertion(), trustDevice });
}

/**
 * Approves a CLI step-up with a passkey: the same assertion a sign-in check takes, sent to the approval
 * instead; it verifies the CLI session that asked (and this one, as any passkey check does).
 */
export async function approveCliStepUpWithPasskey(approvalId: string) {
  return cliMfaApi.approve(approvalId, await sessionAssertion());
}

/**
 * A passkey for one `always` action: the assertion answers a challenge kept for actions, and the gateway
 * hands back a single-use proof (two minutes, this session) that the retried action carries in X-MFA-Proof.
 */
export async function proofWithPasskey(): Promise<string> {
  const options = await mfaApi.actionOptions();
  const assertion = await startAuthentication({ optionsJSON: options as never });
  return (await mfaApi.actionProof(assertion as unknown as Record<string, unknown>)).proof;
}

/** Registers a new passkey under `label`; the first factor answers with backup codes (shown once). */
export async function registerPasskey(label: string) {
  const options = await mfaApi.registrationOptions();
  const credential = await startRegistration({ optionsJSON: options as never });
  return mfaApi.register(credential as unknown as Record<string, unknown>, label);
}

/** A browser's own WebAuthn refusal (cancelled, timed out, no authenticator) in words. */
export function passkeyProblem(error: unknown): string {
  if (error instanceof Error && error.name === 'NotAllowedError')
    return 'The passkey prompt was cancelled or timed out.';
  return error instanceof Error ? error.message : String(error);
}
