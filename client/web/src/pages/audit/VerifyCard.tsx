import { Badge, Card, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { QueryState } from '../../components/QueryState';

/** The HMAC chain check: whether any audit event was edited, deleted or inserted since it was written. */
export function VerifyCard() {
  const verify = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: () => unwrap(api.GET('/api/v1/audit/verify')),
    staleTime: 60_000,
  });
  return (
    <Card withBorder mb="md" aria-label="Audit chain verification">
      <QueryState query={verify} label="the chain verification">
        {(report) => (
          <Group justify="space-between">
            <div>
              <Text fw={600}>Audit chain</Text>
              <Text size="sm">
                {report.checked} events checked
                {report.open.count > 0 ? `, ${report.open.count} still open` : ''}.
                {report.problem ? ` ${report.problem.message}` : ''}
              </Text>
            </div>
            <Badge size="lg" color={report.ok ? 'teal.9' : 'red.9'} data-testid="chain-status">
              {report.ok ? 'intact' : `broken: ${report.problem?.kind ?? 'unknown'}`}
            </Badge>
          </Group>
        )}
      </QueryState>
    </Card>
  );
}
