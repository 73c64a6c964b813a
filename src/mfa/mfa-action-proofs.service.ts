import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { generateSecret, hashSecret } from '../access-control/credential-secret';
import type { Principal } from '../access-control/principal';
import { AuditRecorder } from '../audit/audit-recorder';
import { ACTION_PROOF_TTL_MS } from './mfa-policy';
import { MfaSessionsService } from './mfa-sessions.service';
import { returningRows } from './returning-rows';

/** How the passkey assertion behind a proof was made: in the console, or in a browser approving the CLI. */
export type ProofOrigin = 'passkey' | 'cli_approval';

const PROOF_PREFIX = 'rgw_mfap_';

/**
 * A passkey cannot ride on the request it approves the way a code can, so an assertion made for an action
 * leaves a proof instead: 256 random bits, stored as SHA-256 only, bound to the session that made the
 * assertion, valid two minutes. Presented in `X-MFA-Proof`, the first request of that session that owes a
 * verification consumes it with one DELETE … RETURNING (so two racing requests cannot both spend it, and a
 * replay finds nothing); another session's request leaves it untouched and is refused.
 */
@Injectable()
export class MfaActionProofsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: MfaSessionsService,
    private readonly audit: AuditRecorder,
  ) {}

  async issue(
    principal: Principal,
    origin: ProofOrigin,
    methodId: string | null,
  ): Promise<{ proof: string; expiresAt: string }> {
    const proof = `${PROOF_PREFIX}${generateSecret()}`;
    const rows: unknown = await this.dataSource.query(
      `INSERT INTO mfa_action_proofs (user_id, session_id, proof_hash, method_id, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING id, expires_at`,
      [principal.userId, principal.sessionId, hashSecret(proof), methodId, ACTION_PROOF_TTL_MS / 1000],
    );
    const [row] = returningRows<{ id: string; expires_at: Date }>(rows);
    const expiresAt = new Date(row.expires_at).toISOString();
    await this.audit.record({
      action: 'mfa:action_proof_issue',
      decision: 'allow',
      principal,
      rule: origin,
      resourceType: 'mfa_action_proof',
      resourceName: row.id,
      details: { origin, methodId, expiresAt },
    });
    return { proof, expiresAt };
  }

  /**
   * Spends a proof for this request: a fresh verification of the session (it also counts for login and
   * step-up). Throws 401 `mfa_verification_failed` for a proof that is unknown, used, expired or another
   * session's; such a proof is a 256-bit bearer secret, so a wrong one is audited but not counted as a
   * failed factor attempt.
   */
  async consume(principal: Principal, proof: string): Promise<void> {
    const rows: unknown = principal.sessionId
      ? await this.dataSource.query(
          `DELETE FROM mfa_action_proofs WHERE proof_hash = $1 AND session_id = $2 AND user_id = $3
           RETURNING id, expires_at`,
          [hashSecret(proof), principal.sessionId, principal.userId],
        )
      : [];
    const [row] = returningRows<{ id: string; expires_at: Date }>(rows);
    const expired = row !== undefined && new Date(row.expires_at).getTime() <= Date.now();
    if (!row || expired) {
      const rule = expired ? 'proof_expired' : 'proof_unknown_used_or_other_session';
      await this.audit.record({ action: 'mfa:action_proof_refused', decision: 'deny', principal, rule });
      throw apiError(
        HttpStatus.UNAUTHORIZED,
        'mfa_verification_failed',
        expired
          ? 'the passkey proof expired (it lasts two minutes); verify with the passkey again'
          : 'the passkey proof is unknown, already used or belongs to another session; verify with the passkey again',
      );
    }
    await this.sessions.markVerified(principal.sessionId!);
    await this.audit.record({
      action: 'mfa:action_proof_use',
      decision: 'allow',
      principal,
      rule: 'webauthn',
      resourceType: 'mfa_action_proof',
      resourceName: row.id,
    });
  }
}
