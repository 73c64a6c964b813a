import { Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { approvalsApi } from '../../api/approvals';
import type { AuditEvent } from '../../api/client';
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
        <Table striped aria-label="request timeline">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>Decision</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td>{formatTime(event.time)}</Table.Td>
                <Table.Td>{event.action}</Table.Td>
                <Table.Td>
                  {event.actorEmail || event.actorType}
                  {event.tokenName ? ` (token ${event.tokenName})` : ''}
                </Table.Td>
                <Table.Td>{event.decision}</Table.Td>
                <Table.Td>{event.status ?? event.result}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}
