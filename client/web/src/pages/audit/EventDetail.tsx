import { Code, Modal, Table } from '@mantine/core';
import type { AuditEvent } from '../../api/client';
import { formatTime } from '../../components/QueryState';

const FIELDS: Array<[string, (event: AuditEvent) => string]> = [
  ['Time', (e) => formatTime(e.time)],
  ['Action', (e) => e.action],
  ['Decision', (e) => `${e.decision}${e.rule ? ` (${e.rule})` : ''}`],
  ['Actor', (e) => `${e.actorEmail || e.actorType}${e.tokenName ? ` via token ${e.tokenName}` : ''}`],
  ['Channel', (e) => e.channel],
  ['Request', (e) => `${e.method} ${e.path}`],
  ['Status', (e) => (e.status === null ? 'open' : `${e.status} ${e.result}`)],
  ['App', (e) => e.app || '—'],
  ['Resource', (e) => `${e.resourceType} ${e.resourceName}`.trim() || '—'],
  ['Client', (e) => `${e.clientIp} ${e.userAgent}`.trim()],
  ['Latency', (e) => (e.latencyMs === null ? '—' : `${e.latencyMs} ms`)],
  ['Repeats', (e) => String(e.eventCount)],
  ['Chain index', (e) => e.chainIndex],
  ['Request id', (e) => e.requestId],
];

export function EventDetail({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  return (
    <Modal opened={event !== null} onClose={onClose} title="Audit event" size="xl">
      {event && (
        <>
          <Table>
            <Table.Tbody>
              {FIELDS.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th scope="row">{label}</Table.Th>
                  <Table.Td>{value(event)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Code block mt="md">
            {JSON.stringify({ details: event.details, outcome: event.outcomeDetails }, null, 2)}
          </Code>
        </>
      )}
    </Modal>
  );
}
