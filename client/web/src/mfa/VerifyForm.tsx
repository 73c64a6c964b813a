import { Alert, Button, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { mfaApi } from '../api/mfa';
import type { MfaRequirement } from './mfa-prompt';
import { passkeyProblem, proofWithPasskey, verifyWithPasskey } from './passkey';

export interface VerifyFormProps {
  requirement: MfaRequirement;
  /** The person has a passkey (offered for every requirement; for `always` it makes a single-use proof). */
  hasPasskey: boolean;
  /** The person's preferred method (`totp` or `webauthn`): the form opens on it. */
  preferred?: string;
  /** Login challenge: offer to remember this browser. */
  offerTrust?: boolean;
  /** A refusal of an earlier attempt, from the server. */
  error?: string;
  /** Login and step-up: the session is verified now. */
  onVerified(): void;
  /** `always`: the code to send with the action itself. */
  onCode(code: string): void;
  /** `always`: the single-use passkey proof to send with the action itself. */
  onProof?(proof: string): void;
  onCancel?(): void;
}

/**
 * A code box and, when the person has one, a passkey button; whichever is their preferred method comes
 * first and takes the focus (in the dialog through its focus trap, on the sign-in page by itself). The
 * server decides; errors are its own words.
 */
export function VerifyForm(props: VerifyFormProps) {
  const [code, setCode] = useState('');
  const [trust, setTrust] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const shown = problem ?? props.error;
  const always = props.requirement === 'always';
  const passkeyFirst = props.hasPasskey && props.preferred === 'webauthn';

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    const entered = code.trim();
    if (!entered) return setProblem('Enter the 6-digit code from your authenticator app, or a backup code.');
    if (always) return props.onCode(entered);
    setBusy(true);
    try {
      await mfaApi.verify({ code: entered, trustDevice: props.offerTrust ? trust : undefined });
      props.onVerified();
    } catch (error) {
      setProblem(passkeyProblem(error));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const usePasskey = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      if (always) props.onProof?.(await proofWithPasskey());
      else {
        await verifyWithPasskey(props.offerTrust ? trust : false);
        props.onVerified();
      }
    } catch (error) {
      setProblem(passkeyProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const passkeyButton = props.hasPasskey && (
    <Button
      variant={passkeyFirst ? 'filled' : 'default'}
      onClick={usePasskey}
      loading={busy && code === ''}
      data-autofocus={passkeyFirst || undefined}
      autoFocus={passkeyFirst}
    >
      Use a passkey
    </Button>
  );

  return (
    <form onSubmit={submitCode} aria-label="Verify a second factor">
      <Stack>
        {always && (
          <Text size="sm">
            {props.hasPasskey
              ? 'This action needs a fresh verification of its own: use your passkey, or enter the current code from your authenticator app (or a backup code). Each works once.'
              : 'This action needs a fresh code on the request itself: enter the current code from your authenticator app (or a backup code). A code works once.'}
          </Text>
        )}
        {shown && (
          <Alert color="red" role="alert" title="Not verified">
            {shown}
          </Alert>
        )}
        {passkeyFirst && <Group>{passkeyButton}</Group>}
        <TextInput
          label={passkeyFirst ? 'Or an authentication code' : 'Authentication code'}
          description="6 digits from your authenticator app, or a backup code"
          autoComplete="one-time-code"
          inputMode="text"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          data-autofocus={passkeyFirst ? undefined : true}
          autoFocus={!passkeyFirst}
        />
        {props.offerTrust && (
          <Checkbox
            label="Trust this browser (skip this check at the next sign-in; actions still ask)"
            checked={trust}
            onChange={(event) => setTrust(event.currentTarget.checked)}
          />
        )}
        <Group justify="space-between">
          <Group>
            <Button type="submit" variant={passkeyFirst ? 'default' : 'filled'} loading={busy && code !== ''}>
              Verify
            </Button>
            {!passkeyFirst && passkeyButton}
          </Group>
          {props.onCancel && (
            <Button variant="subtle" onClick={props.onCancel}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
