import { DataSource } from 'typeorm';
import { AuditRecorder } from '../../src/audit/audit-recorder';
import { AuditStdout } from '../../src/audit/audit-stdout.service';
import { AuditService } from '../../src/audit/audit.service';
import { DatabaseOutageLog } from '../../src/database/outage-log';
import { SettingsService } from '../../src/settings/settings.service';
import { verifyAuditChain } from '../../src/audit/audit-chain-verifier';
import { startTestGateway, TestGateway } from '../harness/test-gateway';

describe('audit chain under concurrent writers', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ RACK_URL: 'http://127.0.0.1:9', RACK_TOKEN: 'unused' });
  });
  afterAll(() => gateway?.close());

  it('keeps one gap-free chain when hundreds of events are recorded and completed at once', async () => {
    const audit = gateway.app.get(AuditRecorder);
    const ids = await Promise.all(
      Array.from({ length: 250 }, (_, n) =>
        audit.record({
          action: 'convox:app:list',
          decision: 'allow',
          resourceType: 'app',
          resourceName: `app-${n}`,
        }),
      ),
    );
    expect(new Set(ids).size).toBe(250);
    await Promise.all(ids.map((id, n) => audit.complete(id, { status: 200, latencyMs: n })));

    const dataSource = gateway.app.get(DataSource);
    const [{ count, max }] = (await dataSource.query(
      'SELECT count(*)::int AS count, max(chain_index)::int AS max FROM audit_events',
    )) as { count: number; max: number }[];
    expect(max).toBe(count - 1);
    const verification = await verifyAuditChain(dataSource, gateway.config.audit.hmacSecret as string);
    expect(verification.problem).toBeNull();
    expect(verification.ok).toBe(true);
    expect(verification.open.count).toBe(0);
    expect(verification.checked).toBe(count);
  });

  it('keeps the chain gap-free when two writers (as two gateway processes) append in turns', async () => {
    const dataSource = gateway.app.get(DataSource);
    const first = gateway.app.get(AuditService);
    // A second writer with its own memory of where the chain ends, as another process on this database has.
    const second = new AuditService(
      dataSource,
      gateway.config,
      gateway.app.get(AuditStdout),
      gateway.app.get(DatabaseOutageLog),
      gateway.app.get(SettingsService),
    );
    const record = (writer: AuditService, n: number) =>
      writer.record({
        action: 'convox:app:list',
        decision: 'allow',
        resourceType: 'app',
        resourceName: `w-${n}`,
      });
    const completions: Promise<void>[] = [];
    const complete = (writer: AuditService, id: string, n: number) =>
      completions.push(writer.complete(id, { status: 200, latencyMs: n }));
    // Each writer appends on an end the other has since moved, so every turn finds the chain longer than
    // it remembered; bursts from both at once and completed events (the locked path) are mixed in, and
    // outcomes are left pending so that the next appends carry them in their own transactions.
    for (let round = 0; round < 20; round++) {
      const single = await record(round % 2 ? first : second, round);
      complete(round % 2 ? first : second, single, round);
      const burst = await Promise.all([record(first, round), record(second, round), record(first, round)]);
      burst.forEach((id, n) => complete(n === 1 ? second : first, id, n));
      await (round % 3 ? first : second).record({
        action: 'gateway:user:read',
        decision: 'deny',
        status: 403,
      });
    }
    await Promise.all(completions);
    await Promise.all([first.beforeApplicationShutdown(), second.beforeApplicationShutdown()]);

    const [{ count, max }] = (await dataSource.query(
      'SELECT count(*)::int AS count, max(chain_index)::int AS max FROM audit_events',
    )) as { count: number; max: number }[];
    expect(max).toBe(count - 1);
    const verification = await verifyAuditChain(dataSource, gateway.config.audit.hmacSecret as string);
    expect(verification.problem).toBeNull();
    expect(verification.ok).toBe(true);
    expect(verification.open.count).toBe(0);
  });
});
