import { Modal, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { MfaStatus } from '../api/mfa';
import { useMe } from '../api/queries';
import { useMfaPrompt, type MfaRequirement } from './mfa-prompt';
import { VerifyForm } from './VerifyForm';

const WHY: Record<MfaRequirement, string> = {
  login: 'This session has not been verified with your second factor yet.',
  step_up: 'This action needs a verification from the last few minutes.',
  always: 'This action needs a second factor every time.',
};

/**
 * The dialog any refused action raises (mounted once in the shell). When the person has verified, or has
 * given a code or made a passkey proof for an `always` action, the action is sent again; cancelling shows
 * the original refusal.
 */
export function MfaDialog() {
  const prompt = useMfaPrompt();
  const me = useMe();
  const queryClient = useQueryClient();
  const mfa = me.data?.mfa as MfaStatus | undefined;
  const hasPasskey = mfa?.methods.some((method) => method.kind === 'webauthn') ?? false;
  return (
    <Modal
      opened={prompt !== undefined}
      onClose={() => prompt?.answer(null)}
      title="Confirm it is you"
      centered
      // Shown at once: a dialog fading in is read (by people and by contrast checks) at partial opacity.
      transitionProps={{ duration: 0 }}
    >
      {prompt && (
        <>
          <Text size="sm" mb="sm">
            {WHY[prompt.requirement]}
          </Text>
          <VerifyForm
            key={prompt.id}
            requirement={prompt.requirement}
            hasPasskey={hasPasskey}
            preferred={mfa?.preferredMethod}
            error={prompt.error}
            onVerified={() => {
              void queryClient.invalidateQueries({ queryKey: ['me'] });
              prompt.answer({ verified: true });
            }}
            onCode={(code) => prompt.answer({ code })}
            onProof={(proof) => prompt.answer({ proof })}
            onCancel={() => prompt.answer(null)}
          />
        </>
      )}
    </Modal>
  );
}
