import { Card, Code, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { cliLoginApi, type CliLogin, type CliLoginDecision } from '../../api/cli-login';
import { useMe } from '../../api/queries';
import { ApproveOrDenyButtons, ApproveOrDenyResult } from '../../components/ApproveOrDeny';
import { ErrorNotice, formatTime } from '../../components/QueryState';
import { Field } from '../../components/Field';
import { PageTitle } from '../PageTitle';
import { CliLoginUnavailable } from './CliLoginUnavailable';

const route = getRouteApi('/shell/cli-login');

/**
 * The page the CLI's login link opens (via `/api/v1/auth/cli/authorize`): the person compares the code
 * with their terminal, sees which device and address asked, and approves or denies. Nothing is issued
 * until they press Approve, so a login link sent by someone else cannot bind their account to a foreign CLI.
 */
export function CliLoginPage() {
  const { loginId } = route.useSearch();
  const login = useQuery({
    queryKey: ['cli-login', loginId],
    queryFn: () => cliLoginApi.get(loginId ?? ''),
    enabled: Boolean(loginId),
    // The login changes only by this page's own decision: never swap it for a refetched refusal.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const decision = useMutation({
    mutationFn: (choice: CliLoginDecision) => cliLoginApi.decide(loginId ?? '', choice),
  });

  let body: ReactNode;
  if (!loginId) {
    body = <CliLoginUnavailable error={new ApiError(400, 'no_login_id', 'This link names no CLI login.')} />;
  } else if (decision.isSuccess) {
    body = (
      <ApproveOrDenyResult
        approved={decision.data.status === 'approved'}
        title={decision.data.status === 'approved' ? 'CLI login approved' : 'CLI login denied'}
        text={
          decision.data.status === 'approved'
            ? 'Return to your terminal: the login there finishes by itself. You can close this tab.'
            : 'The terminal that asked will not be logged in. You can close this tab.'
        }
      />
    );
  } else if (login.isPending) {
    body = (
      <Text role="status" aria-live="polite">
        Loading the CLI login…
      </Text>
    );
  } else if (login.isError) {
    body = <CliLoginUnavailable error={login.error} />;
  } else {
    body = (
      <PendingLogin
        login={login.data}
        deciding={decision.isPending ? decision.variables : undefined}
        onDecide={(choice) => decision.mutate(choice)}
        error={decision.error}
      />
    );
  }
  return (
    <Stack maw={640}>
      <PageTitle>Approve a CLI login</PageTitle>
      {body}
    </Stack>
  );
}

function PendingLogin({
  login,
  deciding,
  onDecide,
  error,
}: {
  login: CliLogin;
  deciding: CliLoginDecision | undefined;
  onDecide: (choice: CliLoginDecision) => void;
  error: Error | null;
}) {
  const me = useMe();
  if (error) {
    // Refused on the way (closed, expired, decided elsewhere): say what happened, not the stale details.
    return error instanceof ApiError && error.status !== 403 ? (
      <CliLoginUnavailable error={error} />
    ) : (
      <ErrorNotice error={error} what="the CLI login" />
    );
  }
  return (
    <Card withBorder>
      <Stack>
        <Text>
          A command-line login is asking to act as <strong>{me.data?.email}</strong>.
        </Text>
        <Field label="Code">
          <Code fz="xl" fw={700} data-testid="cli-login-code" aria-label="Code shown by the CLI">
            {login.userCode}
          </Code>
        </Field>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Field label="Device">{login.deviceName ?? 'unnamed device'}</Field>
          <Field label="Requested from IP">{login.requesterIp ?? 'unknown'}</Field>
          <Field label="Link expires">{formatTime(login.expiresAt)}</Field>
        </SimpleGrid>
        <Text size="sm">
          Approve only if you started this login yourself and the code matches the one your terminal shows.
        </Text>
        <ApproveOrDenyButtons approveLabel={'Approve'} deciding={deciding} onDecide={onDecide} />
      </Stack>
    </Card>
  );
}
