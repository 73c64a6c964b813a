import { Badge, Button, Table } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Session } from '../api/client';
import { ActionError } from '../components/ActionError';
import { formatTime, QueryState } from '../components/QueryState';
import { PageTitle } from './PageTitle';

/** Sessions of the caller, or of `email` when given (the server checks gateway:session:read). */
export function SessionsTable({ email }: { email?: string }) {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ['sessions', email ?? 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/sessions', { params: { query: email ? { email } : {} } })),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  });
  return (
    <>
      <ActionError error={revoke.error} />
      <QueryState
        query={sessions}
        label="sessions"
        isEmpty={(list) => list.length === 0}
        empty="No active sessions."
      >
        {(list: Session[]) => (
          <Table striped aria-label="sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Address</Table.Th>
                <Table.Th>Action</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((session) => (
                <Table.Tr key={session.id}>
                  <Table.Td>
                    {session.channel}
                    {session.current && (
                      <Badge ml="xs" variant="outline">
                        this browser
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{formatTime(session.createdAt)}</Table.Td>
                  <Table.Td>{formatTime(session.lastUsedAt)}</Table.Td>
                  <Table.Td>{formatTime(session.expiresAt)}</Table.Td>
                  <Table.Td>{session.ipAddress ?? '—'}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      color="red.9"
                      variant="outline"
                      loading={revoke.isPending && revoke.variables === session.id}
                      onClick={() => revoke.mutate(session.id)}
                      aria-label={`Revoke ${session.channel} session started ${formatTime(session.createdAt)}`}
                    >
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}

export function SessionsPage() {
  return (
    <>
      <PageTitle>Your sessions</PageTitle>
      <SessionsTable />
    </>
  );
}
