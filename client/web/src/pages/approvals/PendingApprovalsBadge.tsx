import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { approvalsApi } from '../../api/approvals';
import { useMe } from '../../api/queries';

/** For approvers, how many requests wait for a decision (refreshed by live updates or polling). */
export function PendingApprovalsBadge() {
  const mayApprove = useMe().data?.permissions.includes('gateway:deploy_approval:approve') ?? false;
  const pending = useQuery({
    queryKey: ['approvals', 'pending-count'],
    queryFn: () => approvalsApi.list({ status: 'pending' }, undefined, 200),
    enabled: mayApprove,
  });
  const count = pending.data?.items.length ?? 0;
  if (!mayApprove || count === 0) return null;
  const text = pending.data?.nextCursor ? '200+' : String(count);
  return (
    <Badge size="sm" color="red.9" aria-label={`${text} pending`} data-testid="pending-approvals">
      {text}
    </Badge>
  );
}
