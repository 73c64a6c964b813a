import { DataSource } from 'typeorm';
import { OutageLog } from '../../src/database/outage-log';
import { LISTENER_APPLICATION_NAME, PgNotificationBus } from '../../src/database/pg-notification-bus';
import { createTestDatabase } from '../harness/test-database';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(10);
  }
}

describe('notification bus on PostgreSQL LISTEN/NOTIFY', () => {
  let dataSource: DataSource;
  let bus: PgNotificationBus;
  const messages: string[] = [];
  let resets = 0;
  // What the bus reports to the outage log, as the log writes it (one string per line).
  const outageLines: unknown[] = [];

  beforeAll(async () => {
    const url = await createTestDatabase();
    dataSource = await new DataSource({ type: 'postgres', url }).initialize();
    bus = new PgNotificationBus(url, dataSource, new OutageLog({ error: (line) => outageLines.push(line) }));
    await bus.onModuleInit();
    bus.subscribe('bus_test', { message: (payload) => messages.push(payload), reset: () => (resets += 1) });
  });
  afterAll(async () => {
    await bus?.onApplicationShutdown();
    await dataSource?.destroy();
  });

  it('delivers a published message to subscribers (of this process too)', async () => {
    await until(() => bus.listening, 'listening');
    await pause(50); // the LISTEN for a topic subscribed after connecting is sent asynchronously
    await bus.publish('bus_test', 'hello');
    await until(() => messages.includes('hello'), 'hello');
  });

  it('delivers a message published in a transaction only when it commits, never when it rolls back', async () => {
    await dataSource
      .transaction(async (manager) => {
        await bus.publish('bus_test', 'rolled-back', manager);
        throw new Error('abort');
      })
      .catch(() => undefined);
    await dataSource.transaction(async (manager) => {
      await bus.publish('bus_test', 'committed', manager);
      await pause(200);
      expect(messages).not.toContain('committed');
    });
    await until(() => messages.includes('committed'), 'committed');
    expect(messages).not.toContain('rolled-back');
  });

  it('resets subscribers when its connection is killed, reconnects, and delivers again', async () => {
    const before = resets;
    await dataSource.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [LISTENER_APPLICATION_NAME],
    );
    // One reset when the loss is noticed, one after reconnecting (messages may have been missed between).
    await until(() => resets >= before + 2 && bus.listening, 'reconnect');
    await bus.publish('bus_test', 'after-reconnect');
    await until(() => messages.includes('after-reconnect'), 'after-reconnect');
  });

  it('reports a lost connection to the outage log as one line without a stack, once per interval', async () => {
    const from = outageLines.length;
    for (let loss = 0; loss < 2; loss++) {
      const before = resets;
      await dataSource.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_APPLICATION_NAME],
      );
      await until(() => resets >= before + 2 && bus.listening, 'reconnect');
    }
    // The first test's loss was reported moments ago: these two fall into the same interval.
    expect(outageLines).toHaveLength(1);
    expect(outageLines[0]).toEqual(
      expect.stringMatching(/^database unavailable \(listening connection lost, caches bypassed[^)]*\): \S/),
    );
    expect(outageLines.join('\n')).not.toMatch(/\n\s+at /);
    expect(outageLines.slice(from)).toEqual([]);
  });

  it('refuses a topic that is not a plain name and a payload PostgreSQL would refuse', async () => {
    expect(() =>
      bus.subscribe('Bad Topic"; DROP', { message: () => undefined, reset: () => undefined }),
    ).toThrow(/invalid bus topic/);
    await expect(bus.publish('bus_test', 'x'.repeat(8000))).rejects.toThrow(/payload over/);
  });
});
