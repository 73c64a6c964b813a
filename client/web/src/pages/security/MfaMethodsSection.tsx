import { Badge, Button, Group, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { mfaApi, type MfaStatus } from '../../api/mfa';
import { ActionError } from '../../components/ActionError';
import { formatTime } from '../../components/QueryState';
import { PasskeyEnrolDialog } from './PasskeyEnrolDialog';
import { TotpEnrolDialog } from './TotpEnrolDialog';

const KIND: Record<string, string> = { totp: 'Authenticator app', webauthn: 'Passkey / security key' };

/**
 * The person's second factors: add an authenticator app or a passkey, choose the preferred one (challenges
 * open on it), remove one (needs a fresh verification on the request itself).
 */
export function MfaMethodsSection({ mfa }: { mfa: MfaStatus }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState<'totp' | 'passkey' | undefined>();
  const remove = useMutation({
    mutationFn: (id: string) => mfaApi.removeMethod(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
  const prefer = useMutation({
    mutationFn: (id: string) => mfaApi.setPreferred(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
  return (
    <section aria-labelledby="mfa-methods">
      <Group justify="space-between" mb="xs">
        <Title order={3} id="mfa-methods">
          Second factors
        </Title>
        <Group>
          <Button variant="default" onClick={() => setAdding('totp')}>
            Add authenticator app
          </Button>
          <Button variant="default" onClick={() => setAdding('passkey')}>
            Add passkey
          </Button>
        </Group>
      </Group>
      <Text size="sm" mb="sm">
        {mfa.required
          ? 'The gateway asks for a second factor at sign-in and before risky actions.'
          : 'No second factor yet. Once you add one, the gateway asks for it at sign-in and before risky actions.'}
      </Text>
      <ActionError error={remove.error ?? prefer.error} />
      {mfa.methods.length === 0 ? (
        <Text c="gray.7" role="status">
          No second factors yet.
        </Text>
      ) : (
        <Table striped aria-label="second factors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Preferred</Table.Th>
              <Table.Th>Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mfa.methods.map((method) => (
              <Table.Tr key={method.id}>
                <Table.Td>{method.label}</Table.Td>
                <Table.Td>{KIND[method.kind] ?? method.kind}</Table.Td>
                <Table.Td>{formatTime(method.createdAt)}</Table.Td>
                <Table.Td>{formatTime(method.lastUsedAt)}</Table.Td>
                <Table.Td>
                  {method.preferred ? (
                    <Badge variant="light" color="teal.9" data-testid="preferred-method">
                      Preferred
                    </Badge>
                  ) : (
                    <Button
                      size="xs"
                      variant="default"
                      loading={prefer.isPending && prefer.variables === method.id}
                      onClick={() => prefer.mutate(method.id)}
                      aria-label={`Make ${method.label} preferred`}
                    >
                      Make preferred
                    </Button>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    color="red.9"
                    variant="outline"
                    loading={remove.isPending && remove.variables === method.id}
                    onClick={() => remove.mutate(method.id)}
                    aria-label={`Remove ${method.label}`}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <TotpEnrolDialog opened={adding === 'totp'} onClose={() => setAdding(undefined)} />
      <PasskeyEnrolDialog opened={adding === 'passkey'} onClose={() => setAdding(undefined)} />
    </section>
  );
}
