import { Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { approvalsApi, type ApprovalFilters, type ApprovalRequest } from '../../api/approvals';
import { formatTime, QueryState } from '../../components/QueryState';
import { PageTitle } from '../PageTitle';
import { StatusBadge } from './StatusBadge';

const route = getRouteApi('/shell/approvals');
const STATUSES = ['pending', 'approved', 'deployed', 'rejected', 'expired', 'cancelled'];

/** Deploy approval requests, newest first, filtered in the URL; approvers see everyone's, others their own. */
export function ApprovalsPage() {
  const filters = route.useSearch() as ApprovalFilters;
  const navigate = useNavigate();
  const [draft, setDraft] = useState<ApprovalFilters>(filters);
  const requests = useInfiniteQuery({
    queryKey: ['approvals', 'list', filters],
    queryFn: ({ pageParam }) => approvalsApi.list(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const search = Object.fromEntries(Object.entries(draft).filter(([, value]) => value)) as ApprovalFilters;
    void navigate({ to: '/approvals', search });
  };
  return (
    <>
      <PageTitle>Deploy approvals</PageTitle>
      <form onSubmit={apply} aria-label="Filter requests">
        <Group align="flex-end" mb="md">
          <Select
            label="Status"
            data={STATUSES}
            clearable
            value={draft.status ?? null}
            onChange={(value) =>
              setDraft({ ...draft, status: (value ?? undefined) as ApprovalFilters['status'] })
            }
            w={150}
          />
          <TextInput
            label="App"
            value={draft.app ?? ''}
            onChange={(e) => setDraft({ ...draft, app: e.currentTarget.value })}
            w={150}
          />
          <TextInput
            label="Branch"
            value={draft.branch ?? ''}
            onChange={(e) => setDraft({ ...draft, branch: e.currentTarget.value })}
            w={150}
          />
          <TextInput
            label="Commit"
            value={draft.gitCommit ?? ''}
            onChange={(e) => setDraft({ ...draft, gitCommit: e.currentTarget.value })}
            w={180}
          />
          <Button type="submit">Filter</Button>
        </Group>
      </form>
      <QueryState
        query={requests}
        label="deploy approval requests"
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty="No deploy approval requests match."
      >
        {(data) => (
          <>
            <Table striped aria-label="deploy approval requests">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Requested</Table.Th>
                  <Table.Th>App</Table.Th>
                  <Table.Th>Commit</Table.Th>
                  <Table.Th>Branch</Table.Th>
                  <Table.Th>Message</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.pages
                  .flatMap((page) => page.items)
                  .map((request: ApprovalRequest) => (
                    <Table.Tr key={request.id}>
                      <Table.Td>
                        <Link to="/approvals/$id" params={{ id: request.id }}>
                          {formatTime(request.createdAt)}
                        </Link>
                      </Table.Td>
                      <Table.Td>{request.app}</Table.Td>
                      <Table.Td>
                        <Text ff="monospace" size="sm">
                          {request.gitCommit.slice(0, 10)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{request.gitBranch ?? '—'}</Table.Td>
                      <Table.Td>{request.message}</Table.Td>
                      <Table.Td>
                        {request.createdBy.email}
                        {request.createdBy.tokenName ? ` (token ${request.createdBy.tokenName})` : ''}
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={request.status} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
            {requests.hasNextPage && (
              <Button
                mt="md"
                variant="default"
                loading={requests.isFetchingNextPage}
                onClick={() => void requests.fetchNextPage()}
              >
                Older requests
              </Button>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
