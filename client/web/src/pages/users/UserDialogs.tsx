import { Button, Group, Modal, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type User } from '../../api/client';
import { ActionError } from '../../components/ActionError';
import { FormDialog } from '../../components/FormDialog';
import { HUMAN_ROLES, type HumanRole } from './roles';

export function CreateUserDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<HumanRole[]>(['viewer']);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/users', { body: { email, name: name || undefined, roles } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      setEmail('');
      setName('');
      setRoles(['viewer']);
      onClose();
    },
  });
  return (
    <FormDialog
      title="Add a user"
      opened={opened}
      onClose={onClose}
      onSubmit={() => create.mutate()}
      submitLabel="Add user"
      pending={create.isPending}
      error={create.error}
    >
      <TextInput
        label="Email"
        type="email"
        required
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
        data-autofocus
      />
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <MultiSelect
        label="Roles"
        data={HUMAN_ROLES.map((role) => ({ ...role }))}
        value={roles}
        onChange={(value) => setRoles(value as HumanRole[])}
      />
    </FormDialog>
  );
}

export function LockUserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const lock = useMutation({
    mutationFn: (email: string) =>
      unwrap(api.POST('/api/v1/users/{email}/lock', { params: { path: { email } }, body: { reason } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      setReason('');
      onClose();
    },
  });
  return (
    <FormDialog
      title={`Lock ${user?.email ?? ''}`}
      opened={user !== null}
      onClose={onClose}
      onSubmit={() => user && lock.mutate(user.email)}
      submitLabel="Lock user"
      pending={lock.isPending}
      error={lock.error}
      danger
    >
      <Text size="sm">
        Their sessions and API tokens stop working at once. The reason is kept in the audit log.
      </Text>
      <TextInput
        label="Reason"
        required
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        data-autofocus
      />
    </FormDialog>
  );
}

export function DeleteUserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (email: string) =>
      unwrap(api.DELETE('/api/v1/users/{email}', { params: { path: { email } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
  });
  return (
    <Modal opened={user !== null} onClose={onClose} title={`Delete ${user?.email ?? ''}?`}>
      <Stack>
        <Text size="sm">
          The user, their sessions and their API tokens are removed. The audit log keeps their history.
        </Text>
        <ActionError error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red.9" loading={remove.isPending} onClick={() => user && remove.mutate(user.email)}>
            Delete user
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
