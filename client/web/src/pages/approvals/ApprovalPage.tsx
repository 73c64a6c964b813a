import { Anchor, Card, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { approvalsApi, type ApprovalRequest } from '../../api/approvals';
import { formatTime, QueryState } from '../../components/QueryState';
import { Field } from '../../components/Field';
import { PageTitle } from '../PageTitle';
import { ApprovalActions } from './ApprovalActions';
import { ApprovalTimeline } from './ApprovalTimeline';
import { StatusBadge } from './StatusBadge';

const route = getRouteApi('/shell/approvals/$id');

/** Links from CI metadata are shown only when they are http(s), never as script URLs. */
function SafeLink({ href }: { href: string | null }) {
  if (!href || !/^https?:\/\//.test(href)) return <>{href ?? '—'}</>;
  return (
    <Anchor href={href} target="_blank" rel="noreferrer noopener">
      {href}
    </Anchor>
  );
}

function Details({ request }: { request: ApprovalRequest }) {
  const decided =
    request.approvedBy || request.rejectedBy || request.cancelledBy
      ? `${request.approvedBy ?? request.rejectedBy ?? request.cancelledBy}`
      : null;
  return (
    <Card withBorder>
      <Group mb="sm">
        <StatusBadge status={request.status} />
        {(request.status === 'pending' || request.status === 'approved') && (
          <Text size="sm">expires {formatTime(request.expiresAt)}</Text>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Field label="App">{request.app}</Field>
        <Field label="Commit">
          <Code>{request.gitCommit}</Code>
        </Field>
        <Field label="Branch">{request.gitBranch}</Field>
        <Field label="Message">{request.message}</Field>
        <Field label="Requested by">
          {request.createdBy.email}
          {request.createdBy.tokenName ? ` with token ${request.createdBy.tokenName}` : ''} at{' '}
          {formatTime(request.createdAt)}
        </Field>
        <Field label="Deploys with token">
          {request.targetToken.name} (owner {request.targetToken.ownerEmail})
        </Field>
        <Field label="Pull request">
          <SafeLink href={request.prUrl} />
        </Field>
        <Field label="CI">
          <SafeLink href={request.ciUrl} />
        </Field>
        {decided && (
          <Field label="Decided by">
            {decided}
            {request.approvedAt ? ` (approved ${formatTime(request.approvedAt)})` : ''}
            {request.rejectedAt ? ` (rejected ${formatTime(request.rejectedAt)})` : ''}
            {request.cancelledAt ? ` (cancelled ${formatTime(request.cancelledAt)})` : ''}
          </Field>
        )}
        <Field label="Notes">
          {[request.approvalNotes, request.rejectionNotes, request.cancellationNotes]
            .filter(Boolean)
            .join(' · ') || '—'}
        </Field>
        <Field label="Uploaded">{request.objectUrl}</Field>
        <Field label="Build">{request.buildId}</Field>
        <Field label="Release">{request.releaseId}</Field>
        <Field label="Deployed">{request.deployedAt ? formatTime(request.deployedAt) : null}</Field>
        <Field label="Processes">{request.processIds.join(', ') || null}</Field>
        <Field label="Commands">
          {request.execCommands.map((c) => `${c.processId}: ${c.command}`).join('; ') || null}
        </Field>
      </SimpleGrid>
    </Card>
  );
}

/** One deploy approval request: what was asked and used, the decisions, and its audit trail. */
export function ApprovalPage() {
  const { id } = route.useParams();
  const request = useQuery({ queryKey: ['approvals', 'one', id], queryFn: () => approvalsApi.get(id) });
  return (
    <>
      <PageTitle>Deploy approval request</PageTitle>
      <QueryState query={request} label="this request">
        {(data) => (
          <Stack>
            <Details request={data} />
            <ApprovalActions request={data} />
            <Title order={3}>Timeline</Title>
            <ApprovalTimeline id={id} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
