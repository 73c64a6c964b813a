import { Badge, Button, Table } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';
import { formatTime, QueryState } from '../../components/QueryState';

/** The caller's tokens; with `all`, everyone's (gateway:token:read); with `owner`, one person's. */
export function TokensTable({ all = false, owner }: { all?: boolean; owner?: string }) {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const everyone = all || owner !== undefined;
  const tokens = useQuery({
    queryKey: ['tokens', everyone ? 'all' : 'mine'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/api-tokens', { params: { query: everyone ? { all: true } : {} } })),
    select: (list) => (owner ? list.filter((token) => token.owner === owner) : list),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/api-tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
  return (
    <>
      <ActionError error={revoke.error} />
      <QueryState
        query={tokens}
        label="API tokens"
        isEmpty={(list) => list.length === 0}
        empty="No API tokens."
      >
        {(list) => (
          <Table striped aria-label="API tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Permissions</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Action</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((token) => {
                const mayRevoke = token.owner === me?.email || me?.capabilities.tokens.revokeAny;
                return (
                  <Table.Tr key={token.id}>
                    <Table.Td>{token.name}</Table.Td>
                    <Table.Td>{token.owner}</Table.Td>
                    <Table.Td>{token.permissions.length} permissions</Table.Td>
                    <Table.Td>{token.expiresAt ? formatTime(token.expiresAt) : 'never'}</Table.Td>
                    <Table.Td>{formatTime(token.lastUsedAt)}</Table.Td>
                    <Table.Td>
                      {token.revokedAt ? (
                        <Badge color="gray" variant="outline">
                          revoked
                        </Badge>
                      ) : (
                        mayRevoke && (
                          <Button
                            size="xs"
                            color="red.9"
                            variant="outline"
                            onClick={() => revoke.mutate(token.id)}
                            aria-label={`Revoke token ${token.name}`}
                          >
                            Revoke
                          </Button>
                        )
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
