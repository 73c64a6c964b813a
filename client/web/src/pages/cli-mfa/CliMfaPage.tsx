import { Alert, Card, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { cliMfaApi, type CliStepUp } from '../../api/cli-mfa';
import type { MfaStatus } from '../../api/mfa';
import { useMe } from '../../api/queries';
import {
  ApproveOrDenyButtons,
  ApproveOrDenyResult,
  type ApproveOrDenyChoice,
} from '../../components/ApproveOrDeny';
import { Field } from '../../components/Field';
import { formatTime } from '../../components/QueryState';
import { approveCliStepUpWithPasskey, passkeyProblem } from '../../mfa/passkey';
import { PageTitle } from '../PageTitle';
import { CliMfaUnavailable, endsTheApproval } from './CliMfaUnavailable';

const route = getRouteApi('/shell/cli-mfa/$id');

/**
 * The page a CLI opens when an action needs a fresh second factor and its person's only one is a passkey
 * in the browser: it says which CLI session asked and when, and the person approves with the passkey or
 * denies a request they did not start. The CLI learns the outcome by polling with a secret only it holds.
 */
export function CliMfaPage() {
  const { id } = route.useParams();
  const stepUp = useQuery({
    queryKey: ['cli-mfa', id],
    queryFn: () => cliMfaApi.get(id),
    // The approval changes only by this page's own decision: never swap it for a refetched refusal.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
  const queryClient = useQueryClient();
  const decision = useMutation({
    mutationFn: async (choice: ApproveOrDenyChoice) =>
      choice === 'approve' ? approveCliStepUpWithPasskey(id) : cliMfaApi.deny(id),
    // The passkey verified this browser session too: the rest of the console opens without asking again.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });

  let body: ReactNode;
  if (decision.isSuccess) {
    body = (
      <ApproveOrDenyResult
        approved={decision.data.status === 'approved'}
        title={decision.data.status === 'approved' ? 'CLI action approved' : 'CLI action denied'}
        text={
          decision.data.status === 'approved'
            ? 'Return to your terminal: the command goes on by itself. You can close this tab.'
            : 'The command in the terminal that asked stops; nothing was done. You can close this tab.'
        }
      />
    );
  } else if (stepUp.isPending) {
    body = (
      <Text role="status" aria-live="polite">
        Loading the CLI approval…
      </Text>
    );
  } else if (stepUp.isError) {
    body = <CliMfaUnavailable error={stepUp.error} />;
  } else if (endsTheApproval(decision.error)) {
    // Refused on the way (expired, decided elsewhere): say what happened, not the stale details.
    body = <CliMfaUnavailable error={decision.error} />;
  } else {
    body = (
      <PendingStepUp
        stepUp={stepUp.data}
        deciding={decision.isPending ? decision.variables : undefined}
        problem={decision.error ? passkeyProblem(decision.error) : undefined}
        onDecide={(choice) => decision.mutate(choice)}
      />
    );
  }
  return (
    <Stack maw={680}>
      <PageTitle>Approve a CLI action</PageTitle>
      {body}
    </Stack>
  );
}

function PendingStepUp({
  stepUp,
  deciding,
  problem,
  onDecide,
}: {
  stepUp: CliStepUp;
  deciding: ApproveOrDenyChoice | undefined;
  problem: string | undefined;
  onDecide: (choice: ApproveOrDenyChoice) => void;
}) {
  const me = useMe();
  const mfa = me.data?.mfa as MfaStatus | undefined;
  const hasPasskey = mfa?.methods.some((method) => method.kind === 'webauthn') ?? true;
  const { cliSession } = stepUp;
  return (
    <Card withBorder>
      <Stack>
        <Text>
          A command in your terminal, signed in as <strong>{stepUp.email}</strong>, needs a fresh check that
          it is you before it goes on (for example approving a deploy).
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label="CLI session">{cliSession.deviceName ?? 'unnamed device'}</Field>
          <Field label="CLI logged in from IP">{cliSession.ipAddress ?? 'unknown'}</Field>
          <Field label="CLI logged in">{formatTime(cliSession.signedInAt)}</Field>
          <Field label="Asked">{formatTime(stepUp.requestedAt)}</Field>
          <Field label="Expires">{formatTime(stepUp.expiresAt)}</Field>
        </SimpleGrid>
        <Text size="sm">
          Approve only if you just ran a command that asked for this. If you did not, deny it: the command
          stops and nothing is done.
        </Text>
        {problem && (
          <Alert color="red" role="alert" title="Not approved">
            {problem}
          </Alert>
        )}
        {!hasPasskey && (
          <Alert color="yellow" role="alert" title="No passkey on this account">
            Add one under Account security, or answer the prompt in your terminal with a code from your
            authenticator app.
          </Alert>
        )}
        <ApproveOrDenyButtons
          approveLabel={hasPasskey ? 'Approve with my passkey' : undefined}
          deciding={deciding}
          onDecide={onDecide}
        />
      </Stack>
    </Card>
  );
}
