import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';

const TOKEN_ROLES = ['cicd', 'viewer', 'ops', 'deployer', 'admin'];

/**
 * Creates a token from a role preset or from picked permissions (only ones the caller holds: the server
 * refuses more anyway). The secret is shown once, here, and never again.
 */
export function CreateTokenDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'role' | 'permissions'>('role');
  const [role, setRole] = useState<string | null>('cicd');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [days, setDays] = useState<number | string>(90);
  const [owner, setOwner] = useState('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/api-tokens', {
          body: {
            name,
            ...(mode === 'role' ? { role: role ?? undefined } : { permissions }),
            expiresInDays: typeof days === 'number' ? days : undefined,
            email: owner || undefined,
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const close = () => {
    create.reset();
    setName('');
    setPermissions([]);
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Create an API token" size="lg">
      {create.data ? (
        <Stack>
          <Alert color="yellow" title="Copy it now">
            This is the only time the token is shown. The gateway keeps only its hash.
          </Alert>
          <Code block data-testid="new-token">
            {create.data.token}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={create.data.token}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Stack>
            <ActionError error={create.error} />
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
            />
            <SegmentedControl
              aria-label="Grant by"
              value={mode}
              onChange={(value) => setMode(value as 'role' | 'permissions')}
              data={[
                { value: 'role', label: 'Role preset' },
                { value: 'permissions', label: 'Pick permissions' },
              ]}
            />
            {mode === 'role' ? (
              <Select label="Role" data={TOKEN_ROLES} value={role} onChange={setRole} allowDeselect={false} />
            ) : (
              <MultiSelect
                label="Permissions"
                searchable
                data={me?.permissions ?? []}
                value={permissions}
                onChange={setPermissions}
                maxDropdownHeight={240}
              />
            )}
            <NumberInput label="Expires in (days)" min={1} max={3650} value={days} onChange={setDays} />
            {me?.capabilities.tokens.createForOthers && (
              <TextInput
                label="Owner email (leave empty for yourself)"
                type="email"
                value={owner}
                onChange={(e) => setOwner(e.currentTarget.value)}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
