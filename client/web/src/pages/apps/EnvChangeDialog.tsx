import { Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { rack } from '../../api/client';
import type { RackRelease } from '../../api/convox';
import { FormDialog } from '../../components/FormDialog';

/** Set one variable (new or changed), or remove one. */
export type EnvChange = { kind: 'set'; key: string } | { kind: 'remove'; key: string };

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `convox env set/unset` from the browser: the whole env as read (values the gateway hid stay the mask,
 * which the gateway turns back into the current value), with one change, posted as a new release through
 * the proxy. The gateway decides what may change (protected keys, secrets, env:set) and audits each key.
 */
export function EnvChangeDialog({
  app,
  env,
  change,
  onClose,
  onCreated,
}: {
  app: string;
  env: Array<{ key: string; value: string }>;
  change: EnvChange | null;
  onClose: () => void;
  onCreated: (release: string) => void;
}) {
  const queryClient = useQueryClient();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState<string>();
  useEffect(() => {
    setKey(change?.key ?? '');
    setValue('');
    setInvalid(undefined);
  }, [change]);

  const appPath = `/apps/${encodeURIComponent(app)}`;
  const create = useMutation({
    mutationFn: (lines: string[]) =>
      rack<RackRelease>(`${appPath}/releases`, {
        method: 'POST',
        body: new URLSearchParams({ env: lines.join('\n') }),
      }),
    onSuccess: async (release) => {
      await queryClient.invalidateQueries({ queryKey: ['rack', appPath] });
      onCreated(release.id);
      onClose();
    },
  });

  const submit = () => {
    if (!change) return;
    if (change.kind === 'remove') {
      create.mutate(env.filter((entry) => entry.key !== change.key).map(line));
      return;
    }
    const name = key.trim();
    if (!KEY.test(name))
      return setInvalid('A name is letters, digits and _ and does not start with a digit.');
    if (value.includes('\n')) return setInvalid('A value is one line.');
    const others = env.filter((entry) => entry.key !== name).map(line);
    create.mutate([...others, `${name}=${value}`]);
  };

  const removing = change?.kind === 'remove';
  return (
    <FormDialog
      title={removing ? `Remove ${change.key}?` : change?.key ? `Change ${change.key}` : 'Add a variable'}
      opened={change !== null}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={removing ? 'Remove and create release' : 'Save and create release'}
      pending={create.isPending}
      error={invalid ?? create.error}
      danger={removing}
    >
      <Text size="sm">A change creates a new release; it runs once that release is promoted.</Text>
      {!removing && (
        <>
          <TextInput
            label="Name"
            required
            value={key}
            readOnly={Boolean(change?.key)}
            onChange={(e) => setKey(e.currentTarget.value)}
            data-autofocus={!change?.key || undefined}
          />
          <TextInput
            label="Value"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            data-autofocus={Boolean(change?.key) || undefined}
          />
        </>
      )}
    </FormDialog>
  );
}

function line({ key, value }: { key: string; value: string }): string {
  return `${key}=${value}`;
}
