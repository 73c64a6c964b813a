import { Alert, Button, Code, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { rack } from '../../api/client';
import { ENV_MASK, parseEnv, type RackApp, type RackRelease } from '../../api/convox';
import { useMe } from '../../api/queries';
import { QueryState } from '../../components/QueryState';
import { EnvChangeDialog, type EnvChange } from './EnvChangeDialog';
import { PromoteReleaseDialog } from './PromoteReleaseDialog';

/**
 * The app's current env (its release's), every value hidden until asked for. A value the gateway itself
 * masked (the caller lacks convox:secret:read) cannot be revealed; any other is shown on Reveal, which reads
 * the release again through the proxy so the look is in the audit log.
 */
export function AppEnv({ app }: { app: string }) {
  const path = `/apps/${encodeURIComponent(app)}`;
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [change, setChange] = useState<EnvChange | null>(null);
  const [created, setCreated] = useState<string>();
  const [promoting, setPromoting] = useState<string | null>(null);
  const rackCan = useMe().data?.capabilities.rack;
  const env = useQuery({
    queryKey: ['rack', path, 'env'],
    queryFn: async () => {
      const current = await rack<RackApp>(path);
      if (!current.release) return [];
      const release = await rack<RackRelease>(`${path}/releases/${encodeURIComponent(current.release)}`);
      return parseEnv(release.env);
    },
  });

  const reveal = async (key: string) => {
    const current = await rack<RackApp>(path);
    const release = await rack<RackRelease>(`${path}/releases/${encodeURIComponent(current.release)}`);
    const value = parseEnv(release.env).find((entry) => entry.key === key)?.value ?? '';
    setRevealed((before) => ({ ...before, [key]: value }));
  };

  return (
    <Stack>
      {rackCan?.setEnv && (
        <Group>
          <Button onClick={() => setChange({ kind: 'set', key: '' })}>Add a variable</Button>
        </Group>
      )}
      {created && (
        <Alert color="blue" title={`Release ${created} created`}>
          <Group justify="space-between">
            <Text size="sm">The change runs once this release is promoted.</Text>
            {rackCan?.promote && (
              <Button size="xs" onClick={() => setPromoting(created)}>
                Promote {created}
              </Button>
            )}
          </Group>
        </Alert>
      )}
      <EnvChangeDialog
        app={app}
        env={env.data ?? []}
        change={change}
        onClose={() => setChange(null)}
        onCreated={(release) => {
          setRevealed({});
          setCreated(release);
        }}
      />
      <PromoteReleaseDialog
        app={app}
        release={promoting}
        onClose={() => {
          setPromoting(null);
          setCreated(undefined);
        }}
      />
      <EnvTable
        query={env}
        revealed={revealed}
        reveal={reveal}
        onChange={rackCan?.setEnv ? setChange : undefined}
      />
    </Stack>
  );
}

/** The variables, each hidden until revealed, with Change and Remove for those who may set env. */
function EnvTable({
  query,
  revealed,
  reveal,
  onChange,
}: {
  query: UseQueryResult<Array<{ key: string; value: string }>>;
  revealed: Record<string, string>;
  reveal: (key: string) => Promise<void>;
  onChange?: (change: EnvChange) => void;
}) {
  return (
    <QueryState
      query={query}
      label="environment"
      isEmpty={(rows) => rows.length === 0}
      empty="No environment variables."
    >
      {(rows) => (
        <Table aria-label="environment">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Variable</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ key, value }) => {
              const hiddenByGateway = value === ENV_MASK;
              const shown = revealed[key];
              return (
                <Table.Tr key={key}>
                  <Table.Td>
                    <Code>{key}</Code>
                  </Table.Td>
                  <Table.Td data-testid={`env-value-${key}`}>
                    {shown !== undefined ? (
                      <Code>{shown}</Code>
                    ) : hiddenByGateway ? (
                      <Text size="sm" c="gray.7">
                        hidden: needs convox:secret:read
                      </Text>
                    ) : (
                      <Text size="sm" aria-label="hidden value">
                        ••••••••
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {shown === undefined && !hiddenByGateway && (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => reveal(key)}
                          aria-label={`Reveal ${key}`}
                        >
                          Reveal
                        </Button>
                      )}
                      {onChange && (
                        <>
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => onChange({ kind: 'set', key })}
                            aria-label={`Change ${key}`}
                          >
                            Change
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            color="red.9"
                            onClick={() => onChange({ kind: 'remove', key })}
                            aria-label={`Remove ${key}`}
                          >
                            Remove
                          </Button>
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}
