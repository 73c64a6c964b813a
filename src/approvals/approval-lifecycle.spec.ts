import { ApprovalLifecycle, type ApprovalLifecycleEvent } from './approval-lifecycle';
import type { ApprovalRequestView } from './approval-request-view';

const event: ApprovalLifecycleEvent = {
  kind: 'approved',
  request: { id: 'r1', status: 'approved' } as ApprovalRequestView,
  actor: { kind: 'user', email: 'admin@example.com' },
  at: '2026-12-01T00:00:00.000Z',
};

describe('ApprovalLifecycle', () => {
  it('delivers each event to every listener, and a failing listener does not stop the others', async () => {
    const lifecycle = new ApprovalLifecycle();
    const heard: string[] = [];
    lifecycle.subscribe(() => {
      throw new Error('broken listener');
    });
    lifecycle.subscribe(async (e) => {
      await Promise.resolve();
      heard.push(`${e.kind}:${e.request.id}`);
    });
    await expect(lifecycle.emit(event)).resolves.toBeUndefined();
    expect(heard).toEqual(['approved:r1']);
  });

  it('stops delivering to a listener once it unsubscribes', async () => {
    const lifecycle = new ApprovalLifecycle();
    const heard: string[] = [];
    const unsubscribe = lifecycle.subscribe((e) => void heard.push(e.kind));
    await lifecycle.emit(event);
    unsubscribe();
    await lifecycle.emit({ ...event, kind: 'deployed' });
    expect(heard).toEqual(['approved']);
  });
});
