import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api, unwrap, type AuditEvent } from '../../api/client';
import { QueryState } from '../../components/QueryState';
import { AuditEventsTable } from '../audit/AuditEventsTable';
import { EventDetail } from '../audit/EventDetail';

const RECENT = 20;

/** A person's newest audit events (as actor), with the way to all of them on the audit page. */
export function RecentActivity({ email }: { email: string }) {
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const recent = useQuery({
    queryKey: ['audit', 'events', { actor: email, limit: RECENT }],
    queryFn: () =>
      unwrap(api.GET('/api/v1/audit-events', { params: { query: { actor: email, limit: RECENT } } })),
  });
  return (
    <>
      <QueryState
        query={recent}
        label="recent activity"
        isEmpty={(page) => page.events.length === 0}
        empty="No activity recorded for this user."
      >
        {(page) => <AuditEventsTable events={page.events} onSelect={setSelected} label="recent activity" />}
      </QueryState>
      <Text size="sm">
        <Anchor
          renderRoot={(props) => (
            <Link {...props} to="/audit" search={{ actor: email } as Record<string, string>} />
          )}
        >
          All of their activity in the audit log
        </Anchor>
      </Text>
      <EventDetail event={selected} onClose={() => setSelected(null)} />
    </>
  );
}
