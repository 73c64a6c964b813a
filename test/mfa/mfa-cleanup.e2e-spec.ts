import { MfaCleanupService } from '../../src/mfa/mfa-cleanup.service';
import { startMfaStack, type MfaStack } from './mfa-stack';

describe('MFA housekeeping', () => {
  let stack: MfaStack;

  beforeAll(async () => {
    stack = await startMfaStack();
  }, 60_000);
  afterAll(() => stack?.close());

  it('deletes expired challenges and day-old attempts, and keeps live ones', async () => {
    const token = await stack.session('admin');
    const { rows } = await stack.db.query<{ id: string; user_id: string }>(
      "SELECT s.id, s.user_id FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'admin@example.com'",
    );
    expect(token).toBeDefined();
    const [{ id: sessionId, user_id: userId }] = rows;
    await stack.db.query(
      `INSERT INTO mfa_challenges (user_id, session_id, purpose, challenge, expires_at) VALUES
         ($1, $2, 'authentication', 'expired', now() - interval '1 second'),
         ($1, $2, 'authentication', 'live', now() + interval '5 minutes')`,
      [userId, sessionId],
    );
    await stack.db.query(
      `INSERT INTO mfa_attempts (user_id, family, success, reason, attempted_at) VALUES
         ($1, 'code', false, 'old', now() - interval '2 days'), ($1, 'code', false, 'recent', now())`,
      [userId],
    );
    await stack.gateway.app.get(MfaCleanupService).sweep();
    const challenges = await stack.db.query<{ challenge: string }>('SELECT challenge FROM mfa_challenges');
    expect(challenges.rows.map((r) => r.challenge)).toEqual(['live']);
    const attempts = await stack.db.query<{ reason: string }>('SELECT reason FROM mfa_attempts');
    expect(attempts.rows.map((r) => r.reason)).toEqual(['recent']);
  });
});
