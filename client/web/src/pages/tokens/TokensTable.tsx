import { Badge, Button } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';
import { DataTable } from '../../components/DataTable';
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
          <DataTable
            label="API tokens"
            rows={list}
            rowKey={(token) => token.id}
            columns={[
              ['Name', (token) => token.name],
              ['Owner', (token) => token.owner],
              ['Permissions', (token) => `${token.permissions.length} permissions`],
              ['Expires', (token) => (token.expiresAt ? formatTime(token.expiresAt) : 'never')],
              ['Last used', (token) => formatTime(token.lastUsedAt)],
              [
                'Action',
                (token) =>
                  token.revokedAt ? (
                    <Badge color="gray" variant="outline">
                      revoked
                    </Badge>
                  ) : (
                    (token.owner === me?.email || me?.capabilities.tokens.revokeAny) && (
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
                  ),
              ],
            ]}
          />
        )}
      </QueryState>
    </>
  );
}
