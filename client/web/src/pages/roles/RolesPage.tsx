import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { accessApi, catalogOf, type Role } from '../../api/access';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';
import { QueryState } from '../../components/QueryState';
import { PageTitle } from '../PageTitle';
import { RoleDialog } from './RoleDialog';

/** Built-in roles (read-only) and custom roles: create, change with a preview, delete when nobody holds it. */
export function RolesPage() {
  const me = useMe().data;
  const may = (permission: string) => me?.permissions.includes(permission) ?? false;
  const queryClient = useQueryClient();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => accessApi.roles() });
  const [editing, setEditing] = useState<{ role?: Role } | undefined>();
  const remove = useMutation({
    mutationFn: (name: string) => unwrap(api.DELETE('/api/v1/roles/{name}', { params: { path: { name } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['roles'] }),
  });
  return (
    <>
      <PageTitle
        actions={may('gateway:role:create') && <Button onClick={() => setEditing({})}>Create role</Button>}
      >
        Roles
      </PageTitle>
      <ActionError error={remove.error} />
      <QueryState query={roles} label="roles" isEmpty={(list) => list.length === 0}>
        {(list: Role[]) => (
          <Table striped aria-label="roles">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Role</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Permissions</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((role) => (
                <Table.Tr key={role.name}>
                  <Table.Td>
                    {role.name}
                    {role.builtIn && (
                      <Badge ml="xs" variant="outline">
                        built-in
                      </Badge>
                    )}
                    {!role.humanAssignable && (
                      <Badge ml="xs" variant="outline" color="gray.7">
                        tokens only
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{role.description || '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" title={role.grants.join('\n')}>
                      {role.permissions.join(', ')} ({role.grants.length} granted)
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {!role.builtIn && (
                      <Group gap="xs" wrap="nowrap">
                        {may('gateway:role:update') && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setEditing({ role })}
                            aria-label={`Change ${role.name}`}
                          >
                            Change
                          </Button>
                        )}
                        {may('gateway:role:delete') && (
                          <Button
                            size="xs"
                            color="red.9"
                            variant="outline"
                            loading={remove.isPending && remove.variables === role.name}
                            onClick={() => remove.mutate(role.name)}
                            aria-label={`Delete ${role.name}`}
                          >
                            Delete
                          </Button>
                        )}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <RoleDialog
        opened={editing !== undefined}
        role={editing?.role}
        catalog={catalogOf(roles.data, me?.permissions)}
        onClose={() => setEditing(undefined)}
      />
    </>
  );
}
