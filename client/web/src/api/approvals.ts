import { api, unwrap, type Schemas } from './client';

export type ApprovalRequest = Schemas['ApprovalRequestView'];
export type ApprovalStatus = ApprovalRequest['status'];
export type ApprovalFilters = {
  status?: ApprovalStatus;
  app?: string;
  branch?: string;
  gitCommit?: string;
};

export type ApprovalDecision = 'approve' | 'reject' | 'extend' | 'cancel';

export const approvalsApi = {
  list: (filters: ApprovalFilters, cursor?: string, limit = 50) =>
    unwrap(api.GET('/api/v1/deploy-approval-requests', { params: { query: { ...filters, cursor, limit } } })),
  get: (id: string) => unwrap(api.GET('/api/v1/deploy-approval-requests/{id}', { params: { path: { id } } })),
  auditEvents: (id: string) =>
    unwrap(api.GET('/api/v1/deploy-approval-requests/{id}/audit-events', { params: { path: { id } } })),
  decide: (id: string, decision: ApprovalDecision, notes: string) => {
    const init = { params: { path: { id } }, body: { notes: notes.trim() || undefined } };
    switch (decision) {
      case 'approve':
        return unwrap(api.POST('/api/v1/deploy-approval-requests/{id}/approve', init));
      case 'reject':
        return unwrap(api.POST('/api/v1/deploy-approval-requests/{id}/reject', init));
      case 'extend':
        return unwrap(api.POST('/api/v1/deploy-approval-requests/{id}/extend', init));
      case 'cancel':
        return unwrap(api.POST('/api/v1/deploy-approval-requests/{id}/cancel', init));
    }
  },
};

const COLORS: Record<string, string> = {
  // Shade 9 (8 for gray) keeps outline text at 4.5:1 or better on white.
  pending: 'violet.9',
  approved: 'green.9',
  deployed: 'indigo.9',
  rejected: 'red.9',
  expired: 'gray.8',
  cancelled: 'gray.8',
};

export function statusColor(status: string): string {
  return COLORS[status] ?? 'gray.8';
}
