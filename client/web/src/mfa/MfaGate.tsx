import { Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { MfaStatus } from '../api/mfa';
import { PasskeyEnrolDialog } from '../pages/security/PasskeyEnrolDialog';
import { TotpEnrolDialog } from '../pages/security/TotpEnrolDialog';
import { VerifyForm } from './VerifyForm';

/**
 * Before the console: a person the gateway holds to MFA either enrols a first factor or passes the sign-in
 * check. The server enforces the same (every other route answers mfa_required); this page only says how.
 */
export function MfaGate({ mfa, onSignOut }: { mfa: MfaStatus; onSignOut(): void }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState<'totp' | 'passkey' | undefined>();
  const enrolling = !mfa.enrolled;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={520} w="100%" component="main">
        <Stack>
          <Title order={1} size="h3">
            {enrolling ? 'Set up a second factor' : 'Verify it is you'}
          </Title>
          {enrolling ? (
            <>
              <Text>
                This gateway requires multi-factor authentication. Add an authenticator app or a passkey to
                continue.
              </Text>
              <Group>
                <Button onClick={() => setAdding('totp')}>Add authenticator app</Button>
                <Button variant="default" onClick={() => setAdding('passkey')}>
                  Add passkey
                </Button>
              </Group>
              <TotpEnrolDialog opened={adding === 'totp'} onClose={() => setAdding(undefined)} />
              <PasskeyEnrolDialog opened={adding === 'passkey'} onClose={() => setAdding(undefined)} />
            </>
          ) : (
            <VerifyForm
              requirement="login"
              hasPasskey={mfa.methods.some((method) => method.kind === 'webauthn')}
              preferred={mfa.preferredMethod}
              offerTrust
              onVerified={() => void queryClient.invalidateQueries()}
              onCode={() => undefined}
            />
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onSignOut}>
              Sign out
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Center>
  );
}
