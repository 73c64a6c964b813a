import { Anchor, Badge, Table, Text } from '@mantine/core';
import type { AuditEvent } from '../../api/client';
import { formatTime } from '../../components/QueryState';

const DECISION_COLOR: Record<string, string> = { allow: 'teal.9', deny: 'red.9', error: 'grape.9' };

/** Audit events newest first; the time opens the event's detail. */
export function AuditEventsTable({
  events,
  onSelect,
  label = 'audit events',
}: {
  events: AuditEvent[];
  onSelect: (event: AuditEvent) => void;
  label?: string;
}) {
  return (
    <Table striped highlightOnHover aria-label={label} mt="md">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Actor</Table.Th>
          <Table.Th>Action</Table.Th>
          <Table.Th>Decision</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Path</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {events.map((event) => (
          <Table.Tr key={event.id}>
            <Table.Td>
              <Anchor
                component="button"
                type="button"
                onClick={() => onSelect(event)}
                aria-label={`Details of ${event.action} at ${formatTime(event.time)}`}
              >
                {formatTime(event.time)}
              </Anchor>
            </Table.Td>
            <Table.Td>{event.actorEmail || event.actorType}</Table.Td>
            <Table.Td>{event.action}</Table.Td>
            <Table.Td>
              <Badge color={DECISION_COLOR[event.decision] ?? 'gray'}>{event.decision}</Badge>
            </Table.Td>
            <Table.Td>{event.status ?? 'open'}</Table.Td>
            <Table.Td>
              <Text size="sm" style={{ wordBreak: 'break-all' }}>
                {event.method} {event.path}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
