import { Button, Code, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { useMe } from '../api/queries';
import { ActionError } from '../components/ActionError';
import { QueryState } from '../components/QueryState';
import { PageTitle } from './PageTitle';

type Setting = Schemas['SettingView'];

/** Settings are edited in their JSON form (the API's own): `true`, `30`, `"15m"`, `["a","b"]`, `{…}`. */
function asJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? '';
}

/** The global settings, or one app's per-app settings. */
const settingsApi = (app: string | undefined) => ({
  list: () =>
    app
      ? unwrap(api.GET('/api/v1/apps/{app}/settings', { params: { path: { app } } }))
      : unwrap(api.GET('/api/v1/settings')),
  put: (key: string, body: Schemas['WriteSettingDto']) =>
    app
      ? unwrap(api.PUT('/api/v1/apps/{app}/settings/{key}', { params: { path: { app, key } }, body }))
      : unwrap(api.PUT('/api/v1/settings/{key}', { params: { path: { key } }, body })),
  reset: (key: string) =>
    app
      ? unwrap(api.DELETE('/api/v1/apps/{app}/settings/{key}', { params: { path: { app, key } } }))
      : unwrap(api.DELETE('/api/v1/settings/{key}', { params: { path: { key } } })),
});

function EditSetting({
  app,
  setting,
  onClose,
}: {
  app?: string;
  setting: Setting | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [opened, setOpened] = useState<string | null>(null);
  if (setting && opened !== setting.key) {
    setOpened(setting.key);
    setText(setting.sensitive ? '' : asJson(setting.value));
  }
  const save = useMutation({
    mutationFn: async (key: string) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = text; // a bare word such as 15m is meant as a string
      }
      // The document types `value` as an object; the API takes any JSON value (see the setting's rule).
      const body = { value } as Schemas['WriteSettingDto'];
      return settingsApi(app).put(key, body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['settings'] });
      setOpened(null);
      onClose();
    },
  });
  const close = () => {
    save.reset();
    setOpened(null);
    onClose();
  };
  return (
    <Modal opened={setting !== null} onClose={close} title={`Change ${setting?.key ?? ''}`} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (setting) save.mutate(setting.key);
        }}
      >
        <Stack>
          <Text size="sm">{setting?.description}</Text>
          <Text size="sm">Valid: {setting?.rule}</Text>
          <ActionError error={save.error} />
          <Textarea
            label="Value (JSON)"
            autosize
            minRows={2}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Global settings with the layer each value comes from; Save stores in the database, Reset removes that. */
export function SettingsPage() {
  return (
    <>
      <PageTitle>Settings</PageTitle>
      <SettingsTable />
    </>
  );
}

/**
 * Settings with their values and sources: the global ones, or an app's own (`app`), which fall back to
 * their environment variable or default when reset.
 */
export function SettingsTable({ app }: { app?: string }) {
  const canUpdate = useMe().data?.capabilities.settings.update ?? false;
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Setting | null>(null);
  const settings = useQuery({
    queryKey: ['settings', app ?? 'global'],
    queryFn: () => settingsApi(app).list(),
  });
  const reset = useMutation({
    mutationFn: (key: string) => settingsApi(app).reset(key),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['settings'] }),
  });
  return (
    <>
      <ActionError error={reset.error} />
      <QueryState
        query={settings}
        label={app ? `settings of ${app}` : 'settings'}
        isEmpty={(list) => list.length === 0}
      >
        {(list) => (
          <Table striped aria-label={app ? `settings of ${app}` : 'settings'}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Setting</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Source</Table.Th>
                {canUpdate && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((setting) => (
                <Table.Tr key={setting.key}>
                  <Table.Td>
                    <Code>{setting.key}</Code>
                    <Text size="sm">{setting.description}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{asJson(setting.value)}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text
                      size="sm"
                      fw={setting.source === 'database' ? 700 : 400}
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      {setting.source}
                    </Text>
                    {setting.source === 'environment' && <Text size="xs">{setting.environmentVariable}</Text>}
                  </Table.Td>
                  {canUpdate && (
                    <Table.Td>
                      <Group gap="xs">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(setting)}
                          aria-label={`Change ${setting.key}`}
                        >
                          Change
                        </Button>
                        {setting.source === 'database' && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => reset.mutate(setting.key)}
                            aria-label={`Reset ${setting.key}`}
                          >
                            Reset
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <EditSetting app={app} setting={editing} onClose={() => setEditing(null)} />
    </>
  );
}
