import { Button, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { rack } from '../../api/client';
import { ENV_MASK, parseEnv, type RackApp, type RackRelease } from '../../api/convox';
import { QueryState } from '../../components/QueryState';

/**
 * The app's current env (its release's), every value hidden until asked for. A value the gateway itself
 * masked (the caller lacks convox:secret:read) cannot be revealed; any other is shown on Reveal, which reads
 * the release again through the proxy so the look is in the audit log.
 */
export function AppEnv({ app }: { app: string }) {
  const path = `/apps/${encodeURIComponent(app)}`;
  const [revealed, setRevealed] = useState<Record<string, string>>({});
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
    <QueryState
      query={env}
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
