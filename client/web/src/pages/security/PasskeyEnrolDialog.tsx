import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { passkeyProblem, registerPasskey } from '../../mfa/passkey';
import { BackupCodesList } from './BackupCodesList';

/** Registering a passkey or security key through the browser's WebAuthn prompt. */
export function PasskeyEnrolDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const queryClient = useQueryClient();
  const [label, setLabel] = useState('Passkey');
  const register = useMutation({
    mutationFn: () => registerPasskey(label),
  });
  const close = () => {
    register.reset();
    // Refreshed on close, not on success: at the enrolment gate a fresh /me lifts the gate, and the
    // backup codes must be read first.
    void queryClient.invalidateQueries({ queryKey: ['me'] });
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Add a passkey" size="lg">
      {register.data?.backupCodes ? (
        <BackupCodesList codes={register.data.backupCodes} onDone={close} />
      ) : register.data ? (
        <Stack>
          <Text role="status">The passkey is registered.</Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            register.mutate();
          }}
        >
          <Stack>
            {register.error && (
              <Alert color="red" role="alert" title="The passkey was not registered">
                {passkeyProblem(register.error)}
              </Alert>
            )}
            <TextInput
              label="Name"
              required
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
              data-autofocus
            />
            <Text size="sm">Your browser will ask you to create the passkey or touch your security key.</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={register.isPending}>
                Register passkey
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
