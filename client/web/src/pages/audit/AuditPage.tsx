import { Anchor, Button, Group, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { api, unwrap, type AuditEvent } from '../../api/client';
import { ErrorNotice } from '../../components/QueryState';
import { PageTitle } from '../PageTitle';
import { ActivityChart } from './ActivityChart';
import { AuditEventsTable } from './AuditEventsTable';
import { AuditFilterForm } from './AuditFilterForm';
import { exportHref, filtersFrom } from './audit-filters';
import { EventDetail } from './EventDetail';
import { VerifyCard } from './VerifyCard';

const route = getRouteApi('/shell/audit');
const PAGE = 50;

export function AuditPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const filters = useMemo(() => filtersFrom(search), [search]);
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const pages = useInfiniteQuery({
    queryKey: ['audit', 'events', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/audit-events', {
          params: { query: { ...filters, limit: PAGE, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const chart = useQuery({
    queryKey: ['audit', 'chart', filters],
    queryFn: () => unwrap(api.GET('/api/v1/audit-events', { params: { query: { ...filters, limit: 500 } } })),
  });
  const events = pages.data?.pages.flatMap((page) => page.events) ?? [];

  return (
    <>
      <PageTitle
        actions={
          <Group>
            <Anchor href={exportHref(filters, 'csv')} download>
              Export CSV
            </Anchor>
            <Anchor href={exportHref(filters, 'jsonl')} download>
              Export JSON Lines
            </Anchor>
          </Group>
        }
      >
        Audit log
      </PageTitle>
      <VerifyCard />
      <AuditFilterForm
        value={filters}
        onSearch={(next) => navigate({ to: '/audit', search: next as Record<string, string> })}
      />
      {chart.data && <ActivityChart events={chart.data.events} />}
      {pages.isPending && <Text role="status">Loading audit events…</Text>}
      {pages.isError && <ErrorNotice error={pages.error} what="audit events" />}
      {pages.isSuccess && events.length === 0 && (
        <Text role="status" py="lg">
          No audit events match these filters.
        </Text>
      )}
      {events.length > 0 && <AuditEventsTable events={events} onSelect={setSelected} />}
      {pages.hasNextPage && (
        <Button
          mt="md"
          variant="default"
          onClick={() => pages.fetchNextPage()}
          loading={pages.isFetchingNextPage}
        >
          Older events
        </Button>
      )}
      <EventDetail event={selected} onClose={() => setSelected(null)} />
    </>
  );
}
