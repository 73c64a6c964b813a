import { useQuery } from '@tanstack/react-query';
import { approvalsApi } from '../../api/approvals';
import type { AuditEvent } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { formatTime, QueryState } from '../../components/QueryState';

/** The request's audit trail: every event carrying its id (request, decisions, the deploy's rack calls). */
export function ApprovalTimeline({ id }: { id: string }) {
  const events = useQuery({
    queryKey: ['approvals', 'events', id],
    queryFn: () => approvalsApi.auditEvents(id),
  });
  return (
    <QueryState
      query={events}
      label="the request's audit trail"
      isEmpty={(list) => list.length === 0}
      empty="No audit events for this request yet."
    >
      {(list: AuditEvent[]) => (
        <DataTable
          label="request timeline"
          rows={list}
          rowKey={(event) => event.id}
          columns={[
            ['Time', (event) => formatTime(event.time)],
            ['Action', (event) => event.action],
            [
              'Who',
              (event) =>
                `${event.actorEmail || event.actorType}${event.tokenName ? ` (token ${event.tokenName})` : ''}`,
            ],
            ['Decision', (event) => event.decision],
            ['Status', (event) => event.status ?? event.result],
          ]}
        />
      )}
    </QueryState>
  );
}
