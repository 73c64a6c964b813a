import type { EntityManager } from 'typeorm';
import { BusSubscriber, NotificationBus } from '../database/notification-bus';
import type { AccessChange, AccessChangeOrigin } from './access-change';
import { ACCESS_CHANGES_TOPIC, AccessChangeRelay } from './access-change-relay';
import { AccessChangeSignal } from './access-change.signal';

/** One database's bus shared by several processes in memory: every subscriber hears every message. */
class SharedBus extends NotificationBus {
  readonly subscribers: BusSubscriber[] = [];
  readonly published: string[] = [];
  get listening(): boolean {
    return true;
  }
  subscribe(topic: string, subscriber: BusSubscriber): () => void {
    expect(topic).toBe(ACCESS_CHANGES_TOPIC);
    this.subscribers.push(subscriber);
    return () => undefined;
  }
  async publish(_topic: string, payload: string, _manager?: EntityManager): Promise<void> {
    this.published.push(payload);
    for (const subscriber of this.subscribers) subscriber.message(payload);
  }
}

function gatewayProcess(bus: SharedBus) {
  const signal = new AccessChangeSignal();
  const heard: Array<[AccessChange['kind'], AccessChangeOrigin]> = [];
  signal.listen((change, origin) => void heard.push([change.kind, origin]));
  new AccessChangeRelay(signal, bus).onModuleInit();
  return { signal, heard };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('AccessChangeRelay', () => {
  it('publishes local changes and raises other processes’ changes as remote, never its own twice', async () => {
    const bus = new SharedBus();
    const a = gatewayProcess(bus);
    const b = gatewayProcess(bus);
    await a.signal.raise({ kind: 'token_revoked', tokenId: 't1', userId: 'u1', by: 'admin@example.com' });
    await flush();
    expect(bus.published).toHaveLength(1);
    expect(a.heard).toEqual([['token_revoked', 'local']]);
    expect(b.heard).toEqual([['token_revoked', 'remote']]);
  });

  it('does not publish a remote change again (no echo between processes)', async () => {
    const bus = new SharedBus();
    const a = gatewayProcess(bus);
    gatewayProcess(bus);
    await a.signal.raise({ kind: 'user_locked', userId: 'u1', by: null });
    await flush();
    expect(bus.published).toHaveLength(1);
  });

  it('ignores malformed messages', async () => {
    const bus = new SharedBus();
    const a = gatewayProcess(bus);
    for (const payload of ['not json', '{}', '{"origin":"x","change":{"kind":"drop_tables","userId":"u"}}'])
      for (const subscriber of bus.subscribers) subscriber.message(payload);
    await flush();
    expect(a.heard).toEqual([]);
  });
});
