import { DataSource } from 'typeorm';
import { AuditRecorder } from '../../src/audit/audit-recorder';
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
});
