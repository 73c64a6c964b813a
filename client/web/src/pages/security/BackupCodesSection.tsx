import { Button, Group, Modal, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mfaApi, type MfaStatus } from '../../api/mfa';
import { ActionError } from '../../components/ActionError';
import { BackupCodesList } from './BackupCodesList';

/** How many backup codes are left; new ones replace the whole set and are shown once. */
export function BackupCodesSection({ mfa }: { mfa: MfaStatus }) {
  const queryClient = useQueryClient();
  const regenerate = useMutation({
    mutationFn: () => mfaApi.regenerateBackupCodes(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
  return (
    <section aria-labelledby="backup-codes">
      <Group justify="space-between" mb="xs">
        <Title order={3} id="backup-codes">
          Backup codes
        </Title>
        <Button variant="default" disabled={!mfa.enrolled} onClick={() => regenerate.mutate()}>
          New backup codes
        </Button>
      </Group>
      <Text size="sm" data-testid="backup-codes-left">
        {mfa.enrolled
          ? `${mfa.backupCodes.unused} of ${mfa.backupCodes.total} unused.`
          : 'Backup codes come with your first second factor.'}
      </Text>
      <ActionError error={regenerate.error} />
      <Modal
        opened={regenerate.data !== undefined}
        onClose={() => regenerate.reset()}
        title="New backup codes"
      >
        {regenerate.data && (
          <BackupCodesList codes={regenerate.data.backupCodes} onDone={() => regenerate.reset()} />
        )}
      </Modal>
    </section>
  );
}
