import { Button, Group, Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { accessApi, type Role } from '../../api/access';
import { api, unwrap } from '../../api/client';
import { ActionError } from '../../components/ActionError';
import { PreviewTable } from './PreviewTable';

/**
 * Creates a custom role or changes one. Permissions are catalog names or wildcard patterns; the server
 * checks each. "Preview" shows who would gain or lose what before anything is saved.
 */
export function RoleDialog({
  role,
  opened,
  catalog,
  onClose,
}: {
  /** The role to change; none to create. */
  role?: Role;
  opened: boolean;
  catalog: string[];
  onClose(): void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  useEffect(() => {
    setName(role?.name ?? '');
    setDescription(role?.description ?? '');
    setPermissions(role?.permissions ?? []);
  }, [role, opened]);
  const preview = useMutation({ mutationFn: () => accessApi.preview({ role: name, permissions }) });
  const save = useMutation({
    mutationFn: () =>
      role
        ? unwrap(
            api.PATCH('/api/v1/roles/{name}', {
              params: { path: { name: role.name } },
              body: { description, permissions },
            }),
          )
        : unwrap(api.POST('/api/v1/roles', { body: { name, description, permissions } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['roles'] });
      close();
    },
  });
  const close = () => {
    preview.reset();
    save.reset();
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={role ? `Change role ${role.name}` : 'Create a custom role'}
      size="xl"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <ActionError error={save.error ?? preview.error} />
          {!role && (
            <TextInput
              label="Name"
              description="Lower-case letters, digits, - and _"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
            />
          )}
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <TagsInput
            label="Permissions"
            description="Pick from the catalog or type a pattern such as convox:app:*, then Enter"
            data={catalog}
            value={permissions}
            onChange={(value) => {
              setPermissions(value);
              preview.reset();
            }}
            maxDropdownHeight={240}
            clearable
          />
          {preview.data && <PreviewTable preview={preview.data} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button variant="default" onClick={() => preview.mutate()} loading={preview.isPending}>
              Preview
            </Button>
            <Button type="submit" loading={save.isPending}>
              {role ? 'Save role' : 'Create role'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
