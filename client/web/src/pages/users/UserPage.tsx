import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';
import { formatTime, QueryState } from '../../components/QueryState';
import { PageTitle } from '../PageTitle';
import { SessionsTable } from '../SessionsPage';
import { TokensTable } from '../tokens/TokensTable';
import { EffectivePermissions } from '../access/EffectivePermissions';
import { BindingsEditor } from './BindingsEditor';
import { RecentActivity } from './RecentActivity';

const route = getRouteApi('/shell/users/$email');

export function UserPage() {
  const { email } = route.useParams();
  const me = useMe().data;
  const can = me?.capabilities;
  const queryClient = useQueryClient();
  const user = useQuery({
    queryKey: ['users', email],
    queryFn: () => unwrap(api.GET('/api/v1/users/{email}', { params: { path: { email } } })),
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
              <Stack mt="sm">
                <BindingsEditor
                  email={email}
                  bindings={profile.bindings}
                  editable={can?.users.update ?? false}
                />
              </Stack>
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
            {me?.permissions.includes('gateway:access:read') && (
              <>
                <Title order={3}>Effective permissions</Title>
                <EffectivePermissions email={email} />
              </>
            )}
            {can?.audit.read && (
              <>
                <Title order={3}>Recent activity</Title>
                <RecentActivity email={email} />
              </>
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
