import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApprovalLifecycle, type ApprovalLifecycleEvent } from './approval-lifecycle';
import type { ApprovalRequestView } from './approval-request-view';

const event: ApprovalLifecycleEvent = {
  kind: 'approved',
  request: { id: 'r1', status: 'approved' } as ApprovalRequestView,
  actor: { kind: 'user', email: 'admin@example.com' },
  at: '2026-12-01T00:00:00.000Z',
};
// Listeners only pass the manager on to what they write; these never use it.
const within = { name: 'the transaction' } as unknown as EntityManager;

describe('ApprovalLifecycle', () => {
  it('hands each event and the change transaction to every listener in turn', async () => {
    const lifecycle = new ApprovalLifecycle();
    const heard: string[] = [];
    lifecycle.subscribe(async (e, m) => {
      await Promise.resolve();
      heard.push(`first ${e.kind}:${e.request.id} ${m === within}`);
    });
    lifecycle.subscribe((e) => void heard.push(`second ${e.kind}`));
    await expect(lifecycle.emit(event, within)).resolves.toBeUndefined();
    expect(heard).toEqual(['first approved:r1 true', 'second approved']);
  });

  it('fails the change with a 503 when a listener cannot store its work, and runs no later listener', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const lifecycle = new ApprovalLifecycle();
    const heard: string[] = [];
    lifecycle.subscribe(() => {
      throw new Error('job table unreachable');
    });
    lifecycle.subscribe((e) => void heard.push(e.kind));
    const failure = await lifecycle.emit(event, within).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      status: 503,
      response: { error: 'notifications_unavailable', message: expect.stringContaining('was not approved') },
    });
    expect(heard).toEqual([]);
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });

  it('stops delivering to a listener once it unsubscribes', async () => {
    const lifecycle = new ApprovalLifecycle();
    const heard: string[] = [];
    const unsubscribe = lifecycle.subscribe((e) => void heard.push(e.kind));
    await lifecycle.emit(event, within);
    unsubscribe();
    await lifecycle.emit({ ...event, kind: 'deployed' }, within);
    expect(heard).toEqual(['approved']);
  });
});
