import { Button, Code, Group, Image, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { mfaApi } from '../../api/mfa';
import { ActionError } from '../../components/ActionError';
import { BackupCodesList } from './BackupCodesList';

/**
 * Adding an authenticator app: the gateway makes the secret and its QR code, the person scans it and proves
 * it works with a first code. Until that code is accepted the app is not a factor.
 */
export function TotpEnrolDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const queryClient = useQueryClient();
  const [label, setLabel] = useState('Authenticator app');
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: () => mfaApi.startTotp(label) });
  const confirm = useMutation({
    mutationFn: () => mfaApi.confirmTotp(start.data!.methodId, code.trim()),
  });
  const close = () => {
    start.reset();
    confirm.reset();
    setCode('');
    // Refreshed on close, not on success: at the enrolment gate a fresh /me lifts the gate, and the
    // backup codes must be read first.
    void queryClient.invalidateQueries({ queryKey: ['me'] });
    onClose();
  };
  const finished = confirm.data;

  return (
    <Modal opened={opened} onClose={close} title="Add an authenticator app" size="lg">
      {finished?.backupCodes ? (
        <BackupCodesList codes={finished.backupCodes} onDone={close} />
      ) : finished ? (
        <Stack>
          <Text role="status">The authenticator app is set up.</Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : !start.data ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            start.mutate();
          }}
        >
          <Stack>
            <ActionError error={start.error} />
            <TextInput
              label="Name"
              required
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button type="submit" loading={start.isPending}>
                Show QR code
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            confirm.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              Scan the code with your authenticator app, or type the key in by hand, then enter the code it
              shows.
            </Text>
            <Image
              src={start.data.qrCode}
              alt="QR code to scan with your authenticator app"
              w={200}
              h={200}
            />
            <Text size="sm">
              Key: <Code data-testid="totp-secret">{start.data.secret}</Code>
            </Text>
            <ActionError error={confirm.error} />
            <TextInput
              label="Code from the app"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={confirm.isPending}>
                Confirm
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
