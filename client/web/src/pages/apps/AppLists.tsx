import { Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { rack } from '../../api/client';
import type { RackBuild, RackProcess, RackRelease, RackService } from '../../api/convox';
import { formatTime, QueryState } from '../../components/QueryState';

/** A read-only table of one rack list; columns are (header, cell) pairs. */
function RackTable<T>({
  path,
  label,
  columns,
  rowKey,
}: {
  path: string;
  label: string;
  columns: Array<[string, (row: T) => ReactNode]>;
  rowKey: (row: T) => string;
}) {
  const query = useQuery({ queryKey: ['rack', path], queryFn: () => rack<T[]>(path) });
  return (
    <QueryState query={query} label={label} isEmpty={(rows) => rows.length === 0}>
      {(rows) => (
        <Table striped aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              {columns.map(([header]) => (
                <Table.Th key={header}>{header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={rowKey(row)}>
                {columns.map(([header, cell]) => (
                  <Table.Td key={header}>{cell(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}

const app = (name: string) => `/apps/${encodeURIComponent(name)}`;

export function AppServices({ app: name }: { app: string }) {
  return (
    <RackTable<RackService>
      path={`${app(name)}/services`}
      label="services"
      rowKey={(s) => s.name}
      columns={[
        ['Service', (s) => s.name],
        ['Count', (s) => s.count],
        ['CPU', (s) => s.cpu],
        ['Memory', (s) => s.memory],
        ['Domain', (s) => s.domain || '—'],
      ]}
    />
  );
}

export function AppProcesses({ app: name }: { app: string }) {
  return (
    <RackTable<RackProcess>
      path={`${app(name)}/processes`}
      label="processes"
      rowKey={(p) => p.id}
      columns={[
        ['Process', (p) => p.id],
        ['Service', (p) => p.name],
        ['Status', (p) => p.status],
        ['Release', (p) => p.release],
        ['Started', (p) => formatTime(p.started)],
      ]}
    />
  );
}

export function AppBuilds({ app: name }: { app: string }) {
  return (
    <RackTable<RackBuild>
      path={`${app(name)}/builds`}
      label="builds"
      rowKey={(b) => b.id}
      columns={[
        ['Build', (b) => b.id],
        ['Status', (b) => b.status],
        ['Release', (b) => b.release || '—'],
        ['Description', (b) => b.description || '—'],
        ['Started', (b) => formatTime(b.started)],
      ]}
    />
  );
}

export function AppReleases({ app: name }: { app: string }) {
  return (
    <RackTable<RackRelease>
      path={`${app(name)}/releases`}
      label="releases"
      rowKey={(r) => r.id}
      columns={[
        ['Release', (r) => r.id],
        ['Build', (r) => r.build || '—'],
        ['Description', (r) => r.description || '—'],
        ['Created', (r) => formatTime(r.created)],
      ]}
    />
  );
}
