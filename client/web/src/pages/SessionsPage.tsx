import { Badge, Button } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Session } from '../api/client';
import { ActionError } from '../components/ActionError';
import { DataTable } from '../components/DataTable';
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
          <DataTable
            label="sessions"
            rows={list}
            rowKey={(session) => session.id}
            columns={[
              [
                'Channel',
                (session) => (
                  <>
                    {session.channel}
                    {session.current && (
                      <Badge ml="xs" variant="outline">
                        this browser
                      </Badge>
                    )}
                  </>
                ),
              ],
              ['Started', (session) => formatTime(session.createdAt)],
              ['Last used', (session) => formatTime(session.lastUsedAt)],
              ['Expires', (session) => formatTime(session.expiresAt)],
              ['Address', (session) => session.ipAddress ?? '—'],
              [
                'Action',
                (session) => (
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
                ),
              ],
            ]}
          />
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
