import { Button, Group, Stack, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { approvalsApi, type ApprovalDecision, type ApprovalRequest } from '../../api/approvals';
import { useMe } from '../../api/queries';
import { ActionError } from '../../components/ActionError';

/**
 * Approve, reject, extend (approvers) and cancel (requesters), each with optional notes. The server
 * decides: a fresh MFA code on the very request (the MFA dialog asks and the action is sent again), four
 * eyes, and the state the request is in; its refusal is shown as it says it.
 */
export function ApprovalActions({ request }: { request: ApprovalRequest }) {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState('');
  const decide = useMutation({
    mutationFn: (decision: ApprovalDecision) => approvalsApi.decide(request.id, decision, notes),
    onSuccess: () => {
      setNotes('');
      void queryClient.invalidateQueries({ queryKey: ['approvals'] });
    },
  });
  const may = (permission: string) => me?.permissions.includes(permission) ?? false;
  const open = request.status === 'pending' || request.status === 'approved';
  const offers: { decision: ApprovalDecision; label: string; shown: boolean; color?: string }[] = [
    {
      decision: 'approve',
      label: 'Approve',
      shown: request.status === 'pending' && may('gateway:deploy_approval:approve'),
    },
    {
      decision: 'reject',
      label: request.status === 'approved' ? 'Revoke approval' : 'Reject',
      shown: open && may('gateway:deploy_approval:approve'),
      color: 'red.9',
    },
    {
      decision: 'extend',
      label: 'Extend window',
      shown: request.status === 'approved' && may('gateway:deploy_approval:approve'),
    },
    {
      decision: 'cancel',
      label: 'Cancel request',
      shown: open && request.createdBy.email === me?.email,
    },
  ];
  const shown = offers.filter((offer) => offer.shown);
  if (shown.length === 0) return null;
  return (
    <Stack>
      <Textarea
        label="Notes"
        description="Recorded with the decision and in the audit log"
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        maxLength={1000}
      />
      <ActionError error={decide.error} />
      <Group>
        {shown.map((offer) => (
          <Button
            key={offer.decision}
            color={offer.color}
            variant={offer.decision === 'approve' ? 'filled' : 'outline'}
            loading={decide.isPending && decide.variables === offer.decision}
            onClick={() => decide.mutate(offer.decision)}
          >
            {offer.label}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}
