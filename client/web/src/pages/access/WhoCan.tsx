import { Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { accessApi, sourcesText, type WhoCanAnswer } from '../../api/access';
import { QueryState } from '../../components/QueryState';

/** "Who can do X (on app Y)?": people and tokens, each with the bindings that grant it. */
export function WhoCan({ catalog }: { catalog: string[] }) {
  const [permission, setPermission] = useState<string | null>(null);
  const [app, setApp] = useState('');
  const [asked, setAsked] = useState<{ permission: string; app: string } | undefined>();
  const answer = useQuery({
    queryKey: ['access', 'who-can', asked],
    queryFn: () => accessApi.whoCan(asked!.permission, asked!.app),
    enabled: asked !== undefined,
  });
  return (
    <section aria-labelledby="who-can">
      <Title order={3} id="who-can" mb="xs">
        Who can
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (permission) setAsked({ permission, app: app.trim() });
        }}
      >
        <Group align="flex-end">
          <Select
            label="Permission"
            searchable
            data={catalog}
            value={permission}
            onChange={setPermission}
            w={340}
            required
          />
          <TextInput
            label="App (optional)"
            value={app}
            onChange={(e) => setApp(e.currentTarget.value)}
            w={200}
          />
          <Button type="submit">Ask</Button>
        </Group>
      </form>
      {asked && (
        <Stack mt="md">
          <QueryState query={answer} label="who can">
            {(result: WhoCanAnswer) => (
              <>
                <Text data-testid="who-can-summary">
                  {result.users.length} people and {result.tokens.length} tokens can {result.permission}
                  {result.app ? ` on ${result.app}` : ''}.
                </Text>
                {result.users.length > 0 && (
                  <Table striped aria-label="people who can">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Person</Table.Th>
                        <Table.Th>Through</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {result.users.map((user) => (
                        <Table.Tr key={user.email}>
                          <Table.Td>{user.email}</Table.Td>
                          <Table.Td>{sourcesText(user.sources)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
                {result.tokens.length > 0 && (
                  <Table striped aria-label="tokens that can">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Token</Table.Th>
                        <Table.Th>Owner</Table.Th>
                        <Table.Th>Through</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {result.tokens.map((token) => (
                        <Table.Tr key={token.id}>
                          <Table.Td>{token.name}</Table.Td>
                          <Table.Td>{token.owner}</Table.Td>
                          <Table.Td>{sourcesText(token.sources)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </>
            )}
          </QueryState>
        </Stack>
      )}
    </section>
  );
}
