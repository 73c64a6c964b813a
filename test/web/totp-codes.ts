import { Secret, TOTP } from 'otpauth';
import type { Client } from 'pg';

/**
 * The current code of a person's authenticator app, computed from the key the console showed. The step
 * they last used is forgotten first (a code is accepted once per step), so a test need not wait 30 s; and
 * the last seconds of a step are waited out, so the code is still good when the request lands.
 */
export async function currentTotpCode(db: Client, email: string, secret: string): Promise<string> {
  await db.query(
    `UPDATE mfa_methods SET last_used_step = NULL WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
    [email],
  );
  const into = Date.now() % 30_000;
  if (into > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - into + 200));
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate();
}
