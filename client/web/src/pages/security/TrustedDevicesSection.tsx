import { Button, Group, Table, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { mfaApi, type TrustedDevice } from '../../api/mfa';
import { ActionError } from '../../components/ActionError';
import { formatTime, QueryState } from '../../components/QueryState';

/** Browsers that skip the sign-in check (never an action's check); forget one or all. */
export function TrustedDevicesSection() {
  const queryClient = useQueryClient();
  const devices = useQuery({ queryKey: ['trusted-devices'], queryFn: () => mfaApi.trustedDevices() });
  const done = () => queryClient.invalidateQueries({ queryKey: ['trusted-devices'] });
  const revoke = useMutation({ mutationFn: (id: string) => mfaApi.revokeDevice(id), onSuccess: done });
  const revokeAll = useMutation({ mutationFn: () => mfaApi.revokeAllDevices(), onSuccess: done });
  return (
    <section aria-labelledby="trusted-devices">
      <Group justify="space-between" mb="xs">
        <Title order={3} id="trusted-devices">
          Trusted browsers
        </Title>
        <Button
          variant="default"
          disabled={!devices.data?.length}
          loading={revokeAll.isPending}
          onClick={() => revokeAll.mutate()}
        >
          Forget all
        </Button>
      </Group>
      <ActionError error={revoke.error ?? revokeAll.error} />
      <QueryState
        query={devices}
        label="trusted browsers"
        isEmpty={(list) => list.length === 0}
        empty="No trusted browsers. Tick “Trust this browser” when you verify at sign-in to add one."
      >
        {(list: TrustedDevice[]) => (
          <Table striped aria-label="trusted browsers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Browser</Table.Th>
                <Table.Th>Trusted since</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Until</Table.Th>
                <Table.Th>Action</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((device) => (
                <Table.Tr key={device.id}>
                  <Table.Td>{device.label}</Table.Td>
                  <Table.Td>{formatTime(device.createdAt)}</Table.Td>
                  <Table.Td>{formatTime(device.lastUsedAt)}</Table.Td>
                  <Table.Td>{formatTime(device.expiresAt)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      color="red.9"
                      variant="outline"
                      loading={revoke.isPending && revoke.variables === device.id}
                      onClick={() => revoke.mutate(device.id)}
                      aria-label={`Forget browser trusted since ${formatTime(device.createdAt)}`}
                    >
                      Forget
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </section>
  );
}
