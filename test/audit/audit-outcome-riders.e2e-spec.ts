import { DataSource } from 'typeorm';
import { AuditRecorder } from '../../src/audit/audit-recorder';
import { verifyAuditChain } from '../../src/audit/audit-chain-verifier';
import { startTestGateway, TestGateway } from '../harness/test-gateway';

/**
 * An outcome waiting for the next append rides in that append's transaction. When the append fails for a
 * reason of its own (here: PostgreSQL refuses that one event), the outcome must still be written, not lost
 * with it: otherwise its event stays open forever.
 */
describe('audit outcomes riding on an append that fails', () => {
  let gateway: TestGateway;
  let dataSource: DataSource;
  beforeAll(async () => {
    gateway = await startTestGateway({ RACK_URL: 'http://127.0.0.1:9', RACK_TOKEN: 'unused' });
    dataSource = gateway.app.get(DataSource);
    await dataSource.query(`
      CREATE FUNCTION refuse_test_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'convox:refused:by-test' THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_test_event BEFORE INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION refuse_test_event();`);
  });
  afterAll(async () => {
    await dataSource?.query(`DROP TRIGGER IF EXISTS refuse_test_event ON audit_events;
      DROP FUNCTION IF EXISTS refuse_test_event();`);
    await gateway?.close();
  });

  it('writes the outcome on its own and leaves no event open', async () => {
    const audit = gateway.app.get(AuditRecorder);
    const event = (action: string) => ({ action, decision: 'allow' as const, resourceType: 'app' });
    // Two appends first, so the writer knows where the chain ends and takes the one-trip path.
    const first = await audit.record(event('convox:app:list'));
    await audit.complete(first, { status: 200, latencyMs: 1 });
    const open = await audit.record(event('convox:app:list'));
    // The outcome lingers, waiting for an append to carry it; the next append is one PostgreSQL refuses.
    const completed = audit.complete(open, { status: 200, latencyMs: 1 });
    await expect(audit.record(event('convox:refused:by-test'))).rejects.toThrow('refused by the test');
    await completed;

    const [row] = (await dataSource.query('SELECT result, status FROM audit_events WHERE id = $1', [
      open,
    ])) as { result: string; status: number }[];
    expect(row).toEqual({ result: 'success', status: 200 });
    const verification = await verifyAuditChain(dataSource, gateway.config.audit.hmacSecret as string);
    expect(verification.ok).toBe(true);
    expect(verification.open.count).toBe(0);
  });
});
