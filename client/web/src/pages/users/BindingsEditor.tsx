import { ActionIcon, Button, Group, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { accessApi, type RoleBinding } from '../../api/access';
import { api, unwrap } from '../../api/client';
import { ActionError } from '../../components/ActionError';
import { PreviewTable } from '../roles/PreviewTable';

/**
 * A person's role bindings: each a role, held everywhere or only on some apps (names or globs such as
 * `web-*`). "Preview" shows what they (and their tokens) would gain or lose before saving.
 */
export function BindingsEditor({
  email,
  bindings: saved,
  editable,
}: {
  email: string;
  bindings: RoleBinding[];
  editable: boolean;
}) {
  const queryClient = useQueryClient();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => accessApi.roles(), enabled: editable });
  const [bindings, setBindings] = useState<RoleBinding[]>(saved);
  useEffect(() => setBindings(saved), [saved]);
  const preview = useMutation({
    mutationFn: () => accessApi.preview({ user: email, bindings: clean(bindings) }),
  });
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/users/{email}', {
          params: { path: { email } },
          body: { bindings: clean(bindings) },
        }),
      ),
    onSuccess: () => {
      preview.reset();
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void queryClient.invalidateQueries({ queryKey: ['access'] });
    },
  });
  const choices = (roles.data ?? []).filter((role) => role.humanAssignable).map((role) => role.name);
  const change = (index: number, next: Partial<RoleBinding>) => {
    preview.reset();
    setBindings(bindings.map((binding, i) => (i === index ? { ...binding, ...next } : binding)));
  };

  if (!editable) {
    return (
      <Text data-testid="bindings">
        Roles:{' '}
        {saved.map((b) => (b.apps?.length ? `${b.role} on ${b.apps.join(', ')}` : b.role)).join('; ') || '—'}
      </Text>
    );
  }
  return (
    <Stack gap="xs" aria-label="Role bindings" role="group">
      <Text fw={500}>Roles</Text>
      {bindings.map((binding, index) => (
        <Group key={index} align="flex-end">
          <Select
            label={`Role ${index + 1}`}
            data={choices.includes(binding.role) ? choices : [...choices, binding.role]}
            value={binding.role}
            onChange={(role) => role && change(index, { role })}
            allowDeselect={false}
            w={200}
          />
          <TagsInput
            label={`Apps for role ${index + 1}`}
            placeholder={binding.apps?.length ? '' : 'every app'}
            value={binding.apps ?? []}
            onChange={(apps) => change(index, { apps })}
            w={320}
          />
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={`Remove role ${index + 1}`}
            onClick={() => {
              preview.reset();
              setBindings(bindings.filter((_, i) => i !== index));
            }}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={() => setBindings([...bindings, { role: choices[0] ?? 'viewer' }])}
        >
          Add role
        </Button>
        <Button variant="default" size="xs" onClick={() => preview.mutate()} loading={preview.isPending}>
          Preview
        </Button>
        <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
          Save roles
        </Button>
      </Group>
      <ActionError error={save.error ?? preview.error} />
      {preview.data && <PreviewTable preview={preview.data} />}
    </Stack>
  );
}

/** Empty app lists mean "everywhere": sent without `apps`. */
function clean(bindings: RoleBinding[]): RoleBinding[] {
  return bindings.map(({ role, apps }) => (apps?.length ? { role, apps } : { role }));
}
