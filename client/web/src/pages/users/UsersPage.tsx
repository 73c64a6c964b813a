import { Anchor, Badge, Button, Group, Table } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api, unwrap, type User } from '../../api/client';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';
import { formatTime, QueryState } from '../../components/QueryState';
import { PageTitle } from '../PageTitle';
import { CreateUserDialog, DeleteUserDialog, LockUserDialog } from './UserDialogs';

export function UsersPage() {
  const can = useMe().data?.capabilities.users;
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/api/v1/users')) });
  const [creating, setCreating] = useState(false);
  const [locking, setLocking] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const unlock = useMutation({
    mutationFn: (email: string) =>
      unwrap(api.POST('/api/v1/users/{email}/unlock', { params: { path: { email } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const hasActions = can?.lock || can?.delete;
  return (
    <>
      <PageTitle actions={can?.create && <Button onClick={() => setCreating(true)}>Add user</Button>}>
        Users
      </PageTitle>
      <ActionError error={unlock.error} />
      <QueryState query={users} label="users" isEmpty={(list) => list.length === 0}>
        {(list) => (
          <Table striped highlightOnHover aria-label="users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Last seen</Table.Th>
                {hasActions && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((user) => (
                <Table.Tr key={user.email}>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => (
                        <Link {...props} to="/users/$email" params={{ email: user.email }} />
                      )}
                    >
                      {user.email}
                    </Anchor>
                    {user.name && ` (${user.name})`}
                  </Table.Td>
                  <Table.Td>{user.roles.join(', ') || '—'}</Table.Td>
                  <Table.Td>
                    {user.locked ? (
                      <Badge color="grape.9" variant="outline" title={user.lockedReason ?? undefined}>
                        locked
                      </Badge>
                    ) : (
                      <Badge color="teal.9" variant="outline">
                        active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{formatTime(user.lastSeenAt)}</Table.Td>
                  {hasActions && (
                    <Table.Td>
                      <Group gap="xs">
                        {can?.lock &&
                          (user.locked ? (
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => unlock.mutate(user.email)}
                              aria-label={`Unlock ${user.email}`}
                            >
                              Unlock
                            </Button>
                          ) : (
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => setLocking(user)}
                              aria-label={`Lock ${user.email}`}
                            >
                              Lock
                            </Button>
                          ))}
                        {can?.delete && (
                          <Button
                            size="xs"
                            color="red.9"
                            variant="outline"
                            onClick={() => setDeleting(user)}
                            aria-label={`Delete ${user.email}`}
                          >
                            Delete
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
      <CreateUserDialog opened={creating} onClose={() => setCreating(false)} />
      <LockUserDialog user={locking} onClose={() => setLocking(null)} />
      <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
