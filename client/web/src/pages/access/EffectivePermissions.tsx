import { Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { accessApi, sourcesText, type UserAccessAnswer } from '../../api/access';
import { formatTime, QueryState } from '../../components/QueryState';

/** What a person may do, which binding grants each permission, and when they last used it. */
export function EffectivePermissions({ email }: { email: string }) {
  const access = useQuery({
    queryKey: ['access', 'user', email],
    queryFn: () => accessApi.userAccess(email),
  });
  return (
    <QueryState
      query={access}
      label="effective permissions"
      isEmpty={(answer) => answer.permissions.length === 0}
      empty="This user holds no permissions."
    >
      {(answer: UserAccessAnswer) => (
        <Table striped aria-label={`effective permissions of ${email}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Permission</Table.Th>
              <Table.Th>Granted by</Table.Th>
              <Table.Th>Last used</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {answer.permissions.map((entry) => (
              <Table.Tr key={entry.permission}>
                <Table.Td>{entry.permission}</Table.Td>
                <Table.Td>{sourcesText(entry.sources)}</Table.Td>
                <Table.Td>{entry.lastUsedAt ? formatTime(entry.lastUsedAt) : 'never'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}
