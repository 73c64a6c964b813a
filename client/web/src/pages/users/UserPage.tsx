import { Alert, Button, Card, Group, MultiSelect, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';
import { formatTime, QueryState } from '../../components/QueryState';
import { PageTitle } from '../PageTitle';
import { SessionsTable } from '../SessionsPage';
import { TokensTable } from '../tokens/TokensTable';
import { HUMAN_ROLES, type HumanRole } from './roles';

const route = getRouteApi('/shell/users/$email');

export function UserPage() {
  const { email } = route.useParams();
  const can = useMe().data?.capabilities;
  const queryClient = useQueryClient();
  const user = useQuery({
    queryKey: ['users', email],
    queryFn: () => unwrap(api.GET('/api/v1/users/{email}', { params: { path: { email } } })),
  });
  const [roles, setRoles] = useState<HumanRole[]>([]);
  useEffect(() => setRoles((user.data?.roles ?? []) as HumanRole[]), [user.data]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/api/v1/users/{email}', { params: { path: { email } }, body: { roles } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const revokeAll = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/users/{email}/sessions/revoke', { params: { path: { email } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  });

  return (
    <>
      <PageTitle>{email}</PageTitle>
      <QueryState query={user} label="this user">
        {(profile) => (
          <Stack>
            {profile.locked && (
              <Alert color="orange" title="Locked">
                {profile.lockedReason} — by {profile.lockedBy} at {formatTime(profile.lockedAt)}
              </Alert>
            )}
            <Card withBorder>
              <Text>Name: {profile.name || '—'}</Text>
              <Text>Added: {formatTime(profile.createdAt)}</Text>
              <Text>Last seen: {formatTime(profile.lastSeenAt)}</Text>
              <Group align="flex-end" mt="sm">
                <MultiSelect
                  label="Roles"
                  data={HUMAN_ROLES.map((role) => ({ ...role }))}
                  value={roles}
                  onChange={(value) => setRoles(value as HumanRole[])}
                  disabled={!can?.users.update}
                  w={360}
                />
                {can?.users.update && (
                  <Button onClick={() => save.mutate()} loading={save.isPending}>
                    Save roles
                  </Button>
                )}
              </Group>
              <ActionError error={save.error} />
            </Card>
            <Group justify="space-between">
              <Title order={3}>Sessions</Title>
              {can?.sessions.revokeAny && (
                <Button color="red.9" variant="outline" size="xs" onClick={() => revokeAll.mutate()}>
                  Revoke all sessions
                </Button>
              )}
            </Group>
            <ActionError error={revokeAll.error} />
            {can?.sessions.readAll ? (
              <SessionsTable email={email} />
            ) : (
              <Text c="gray.7">Needs gateway:session:read.</Text>
            )}
            <Title order={3}>API tokens</Title>
            {can?.tokens.readAll ? (
              <TokensTable owner={email} />
            ) : (
              <Text c="gray.7">Needs gateway:token:read.</Text>
            )}
          </Stack>
        )}
      </QueryState>
    </>
  );
}
