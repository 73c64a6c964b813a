import { Card, SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { rack } from '../api/client';
import type { RackApp, RackSystem } from '../api/convox';
import { QueryState } from '../components/QueryState';
import { PageTitle } from './PageTitle';

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <Card withBorder>
      <Text size="sm" c="gray.7">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
}

export function RackPage() {
  const system = useQuery({ queryKey: ['rack', 'system'], queryFn: () => rack<RackSystem>('/system') });
  const apps = useQuery({ queryKey: ['rack', 'apps'], queryFn: () => rack<RackApp[]>('/apps') });
  return (
    <>
      <PageTitle>Rack</PageTitle>
      <QueryState query={system} label="the rack">
        {(info) => (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Stat label="Name" value={info.name} />
            <Stat label="Status" value={info.status} />
            <Stat label="Version" value={info.version} />
            <Stat label="Provider" value={`${info.provider} ${info.region ?? ''}`.trim()} />
            <Stat label="Instances" value={info.count} />
            <Stat label="Apps" value={apps.data ? apps.data.length : '…'} />
          </SimpleGrid>
        )}
      </QueryState>
    </>
  );
}
