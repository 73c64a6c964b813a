import { DataSource } from 'typeorm';
import { SessionsService } from '../../src/sessions/sessions.service';
import { startNotificationSinks, type NotificationSinks } from '../../src/dev/notification-sinks';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { hostileApprovalNotice } from '../../src/notifications/notice-fixture';
import { UsersService } from '../../src/users/users.service';
import { freePort } from '../harness/free-port';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

interface JobView {
  id: string;
  queue: string;
  state: string;
  attempts: number;
  lastError: string | null;
}

async function jobsOf(gateway: TestGateway, queue: string): Promise<JobView[]> {
  const user = await gateway.app.get(UsersService).getByEmail('admin@example.com');
  const { token } = await gateway.app.get(SessionsService).create(user.id, 'cli', { userAgent: 'jobs-e2e' });
  const response = await fetch(`${gateway.url}/api/v1/jobs?queue=${queue}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { jobs: JobView[] }).jobs;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('background jobs survive a restart and are retried with backoff', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  it('a delivery that failed while the receiver was down is retried by the next gateway process', async () => {
    // The Slack receiver's port is chosen now but nothing listens there yet: the first attempt fails.
    const sinkPort = await freePort();
    const env = {
      ADMIN_USERS: 'admin@example.com',
      RGW_SETTING_NOTIFICATIONS_SLACK_WEBHOOK_URL: `http://127.0.0.1:${sinkPort}/slack`,
    };
    const first = await startTestGateway(env);
    const { kind: _k, url: _u, ...notice } = hostileApprovalNotice({ requestId: 'restart-e2e' });
    await first.app
      .get(DataSource)
      .transaction((manager) => first.app.get(NotificationsService).approval(notice, manager));

    const failed = await eventually(
      () => jobsOf(first, 'notify-slack'),
      (jobs) => jobs[0]?.state === 'retry',
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ state: 'retry', attempts: 1 });
    expect(failed[0].lastError).toBe(`POST to 127.0.0.1:${sinkPort} failed: ECONNREFUSED`);
    await first.close();

    const sinks: NotificationSinks = await startNotificationSinks({
      webhookSecret: 'unused-in-this-test-secret',
      webhookPort: sinkPort,
    });
    closers.push(() => sinks.close());
    const second = await startTestGateway({ ...env, DATABASE_URL: first.databaseUrl });
    closers.push(() => second.close());

    const delivered = await sinks.inbox.waitFor(
      (m) => m.channel === 'slack' && JSON.stringify(m.content).includes('restart-e2e'),
    );
    expect((delivered.content as { text: string }).text).toBe('Deploy approval requested: myapp at aaaaaaa');
    const done = await eventually(
      () => jobsOf(second, 'notify-slack'),
      (jobs) => jobs[0]?.state === 'completed',
    );
    expect(done).toEqual([
      expect.objectContaining({ id: failed[0].id, state: 'completed', attempts: 2, lastError: null }),
    ]);
  });
});
