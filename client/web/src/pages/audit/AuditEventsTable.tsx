import { Anchor, Badge, Text } from '@mantine/core';
import type { AuditEvent } from '../../api/client';
import { DataTable } from '../../components/DataTable';
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
    <DataTable
      label={label}
      rows={events}
      rowKey={(event) => event.id}
      columns={[
        [
          'Time',
          (event) => (
            <Anchor
              component="button"
              type="button"
              onClick={() => onSelect(event)}
              aria-label={`Details of ${event.action} at ${formatTime(event.time)}`}
            >
              {formatTime(event.time)}
            </Anchor>
          ),
        ],
        ['Actor', (event) => event.actorEmail || event.actorType],
        ['Action', (event) => event.action],
        [
          'Decision',
          (event) => <Badge color={DECISION_COLOR[event.decision] ?? 'gray'}>{event.decision}</Badge>,
        ],
        ['Status', (event) => event.status ?? 'open'],
        [
          'Path',
          (event) => (
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              {event.method} {event.path}
            </Text>
          ),
        ],
      ]}
    />
  );
}
