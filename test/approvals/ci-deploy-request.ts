import type { Client } from 'pg';

/**
 * Deploy approval requests made the way CI makes them (a `cicd` token, a fresh commit each time), and
 * their state read straight from the database, for tests whose subject is who approves them and how.
 */
export function ciDeployRequests(gatewayUrl: string, ciToken: string, db: Client, commitDigit: string) {
  let made = 0;
  return {
    /** A pending request for myapp; resolves to its id. */
    async request(message: string): Promise<string> {
      made += 1;
      const answer = await fetch(`${gatewayUrl}/api/v1/deploy-approval-requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ciToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ app: 'myapp', gitCommit: String(made).padStart(40, commitDigit), message }),
      });
      if (answer.status !== 201)
        throw new Error(`deploy request answered ${answer.status}: ${await answer.text()}`);
      return ((await answer.json()) as { id: string }).id;
    },
    async statusOf(id: string): Promise<{ status: string; approved_by_email: string | null }> {
      const { rows } = await db.query<{ status: string; approved_by_email: string | null }>(
        'SELECT status, approved_by_email FROM deploy_approval_requests WHERE id = $1',
        [id],
      );
      return rows[0];
    },
  };
}
