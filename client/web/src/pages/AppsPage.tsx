import { Anchor, Badge, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { rack } from '../api/client';
import type { RackApp } from '../api/convox';
import { QueryState } from '../components/QueryState';
import { PageTitle } from './PageTitle';

export function AppsPage() {
  const apps = useQuery({ queryKey: ['rack', 'apps'], queryFn: () => rack<RackApp[]>('/apps') });
  return (
    <>
      <PageTitle>Apps</PageTitle>
      <QueryState query={apps} label="apps" isEmpty={(list) => list.length === 0}>
        {(list) => (
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>App</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Release</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((app) => (
                <Table.Tr key={app.name}>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => <Link {...props} to="/apps/$app" params={{ app: app.name }} />}
                    >
                      {app.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={app.status === 'running' ? 'teal.9' : 'gray.7'} variant="outline">
                      {app.status}
                    </Badge>
                    {app.locked && (
                      <Badge ml="xs" color="grape.9" variant="outline">
                        locked
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{app.release || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
