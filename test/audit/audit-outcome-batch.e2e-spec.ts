import { DataSource } from 'typeorm';
import { AuditRecorder } from '../../src/audit/audit-recorder';
import { verifyAuditChain } from '../../src/audit/audit-chain-verifier';
import { microsToIso, nowMicros } from '../../src/audit/audit-time';
import { AUDIT_CHAIN_LOCK } from '../../src/audit/locked-appender';
import { OneTripWriter, type OutcomeWrite } from '../../src/audit/one-trip-writer';
import { startTestGateway, TestGateway } from '../harness/test-gateway';

/**
 * Outcomes that end together are written by one UPDATE over a list of values. Its answer comes back
 * unordered and without the events that were no longer open; the writer lines it up with what was asked,
 * and an event named twice in one batch is completed once (the second write finds it completed).
 */
describe('audit outcomes written as one statement', () => {
  let gateway: TestGateway;
  let dataSource: DataSource;
  let writer: OneTripWriter;
  beforeAll(async () => {
    gateway = await startTestGateway({ RACK_URL: 'http://127.0.0.1:9', RACK_TOKEN: 'unused' });
    dataSource = gateway.app.get(DataSource);
    writer = new OneTripWriter(dataSource, gateway.config.audit.hmacSecret as string, AUDIT_CHAIN_LOCK, true);
  });
  afterAll(() => gateway?.close());

  async function openEvent(action: string): Promise<{ id: string; chainIndex: string; chainValue: Buffer }> {
    const id = await gateway.app
      .get(AuditRecorder)
      .record({ action, decision: 'allow', resourceType: 'app' });
    const [row] = (await dataSource.query(
      'SELECT chain_index::text AS "chainIndex", chain_value AS "chainValue" FROM audit_events WHERE id = $1',
      [id],
    )) as { chainIndex: string; chainValue: Buffer }[];
    return { id, ...row };
  }

  const outcome = (
    event: { id: string; chainIndex: string; chainValue: Buffer },
    status: number,
    outcomeDetails: string | null = null,
  ): OutcomeWrite => {
    // The chain binds timestamps to the microsecond, as PostgreSQL keeps them.
    const now = microsToIso(nowMicros());
    return {
      eventId: event.id,
      chainIndex: event.chainIndex,
      chainValue: event.chainValue,
      part: {
        status,
        result: status < 400 ? 'success' : 'error',
        latencyMs: 7,
        bytesIn: '0',
        bytesOut: '1234',
        outcomeDetails,
        completedAt: now,
        eventCount: 1,
        lastAt: now,
      },
    };
  };

  it('answers each write in the order asked, null where the event was no longer open', async () => {
    const first = await openEvent('convox:app:list');
    const second = await openEvent('convox:app:read');
    const done = await openEvent('convox:app:list');
    expect(await writer.writeOutcomes([outcome(done, 200)])).toEqual([
      expect.objectContaining({ id: done.id }),
    ]);

    const rows = await writer.writeOutcomes([
      outcome(second, 502, '{"note":"it\'s \\\\ quoted"}'),
      outcome(done, 500),
      outcome(first, 200),
      outcome(second, 404),
    ]);
    expect(rows.map((row) => row && [row.id, row.status])).toEqual([
      [second.id, 502],
      null,
      [first.id, 200],
      null,
    ]);

    const stored = (await dataSource.query(
      'SELECT id, status, result, bytes_out::text AS "bytesOut", outcome_details AS details FROM audit_events WHERE id = ANY($1)',
      [[first.id, second.id, done.id]],
    )) as { id: string; status: number; result: string; bytesOut: string; details: string | null }[];
    const byId = new Map(stored.map((row) => [row.id, row]));
    expect(byId.get(second.id)).toMatchObject({
      status: 502,
      result: 'error',
      details: '{"note":"it\'s \\\\ quoted"}',
    });
    expect(byId.get(done.id)).toMatchObject({ status: 200, result: 'success' });
    expect(byId.get(first.id)).toMatchObject({ status: 200, bytesOut: '1234' });

    const verification = await verifyAuditChain(dataSource, gateway.config.audit.hmacSecret as string);
    expect(verification.ok).toBe(true);
    expect(verification.open.count).toBe(0);
  });

  it('writes nothing and answers nothing for an empty batch', async () => {
    await expect(writer.writeOutcomes([])).resolves.toEqual([]);
  });
});
