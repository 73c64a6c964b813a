import { Button } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { rack } from '../../api/client';
import type { RackBuild, RackProcess, RackRelease, RackService } from '../../api/convox';
import { useMe } from '../../api/queries';
import { DataTable, type Column } from '../../components/DataTable';
import { formatTime, QueryState } from '../../components/QueryState';
import { PromoteReleaseDialog } from './PromoteReleaseDialog';
import { ScaleServiceDialog } from './ScaleServiceDialog';

/** One rack list as a table, read through the proxy. */
function RackTable<T>({
  path,
  label,
  columns,
  rowKey,
}: {
  path: string;
  label: string;
  columns: Array<Column<T>>;
  rowKey: (row: T) => string;
}) {
  const query = useQuery({ queryKey: ['rack', path], queryFn: () => rack<T[]>(path) });
  return (
    <QueryState query={query} label={label} isEmpty={(rows) => rows.length === 0}>
      {(rows) => <DataTable label={label} rows={rows} columns={columns} rowKey={rowKey} />}
    </QueryState>
  );
}

const app = (name: string) => `/apps/${encodeURIComponent(name)}`;

export function AppServices({ app: name }: { app: string }) {
  const [scaling, setScaling] = useState<RackService | null>(null);
  const canScale = useMe().data?.capabilities.rack.scale;
  return (
    <>
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
          ...action<RackService>(canScale, (s) => (
            <Button size="xs" variant="default" onClick={() => setScaling(s)} aria-label={`Scale ${s.name}`}>
              Scale
            </Button>
          )),
        ]}
      />
      <ScaleServiceDialog app={name} service={scaling} onClose={() => setScaling(null)} />
    </>
  );
}

/** The action column, only for those the server says may act. */
function action<T>(allowed: boolean | undefined, cell: (row: T) => ReactNode): Array<Column<T>> {
  return allowed ? [['', cell]] : [];
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
  const [promoting, setPromoting] = useState<string | null>(null);
  const canPromote = useMe().data?.capabilities.rack.promote;
  return (
    <>
      <RackTable<RackRelease>
        path={`${app(name)}/releases`}
        label="releases"
        rowKey={(r) => r.id}
        columns={[
          ['Release', (r) => r.id],
          ['Build', (r) => r.build || '—'],
          ['Description', (r) => r.description || '—'],
          ['Created', (r) => formatTime(r.created)],
          ...action<RackRelease>(canPromote, (r) => (
            <Button
              size="xs"
              variant="default"
              onClick={() => setPromoting(r.id)}
              aria-label={`Promote ${r.id}`}
            >
              Promote
            </Button>
          )),
        ]}
      />
      <PromoteReleaseDialog app={name} release={promoting} onClose={() => setPromoting(null)} />
    </>
  );
}
