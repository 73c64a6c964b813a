import type { Client } from 'pg';

/**
 * Resolves once no audit event is still open: an event is written before the request runs and completed
 * after its response, so a test reading outcomes waits for the completion, not just the response.
 */
export async function auditSettled(db: Client): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await db.query("SELECT 1 FROM audit_events WHERE status IS NULL OR result = 'open' LIMIT 1");
    if (open.rowCount === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('audit events still open');
}
