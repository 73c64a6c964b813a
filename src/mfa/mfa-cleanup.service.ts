import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicSweep } from '../database/periodic-sweep';

const SWEEP_INTERVAL_MS = 60_000;
// Attempts are kept a day (the limits look back five minutes; the rest is for a person investigating).
const ATTEMPT_RETENTION = '1 day';

/**
 * Deletes expired WebAuthn challenges, passkey proofs and CLI approvals and old verification attempts, so these tables
 * stay small (the original never pruned its attempt and used-step tables).
 */
@Injectable()
export class MfaCleanupService extends PeriodicSweep {
  constructor(private readonly dataSource: DataSource) {
    super('MfaCleanup', SWEEP_INTERVAL_MS);
  }

  protected async sweepOnce(): Promise<void> {
    await this.dataSource.query('DELETE FROM mfa_challenges WHERE expires_at < now()');
    await this.dataSource.query('DELETE FROM mfa_action_proofs WHERE expires_at < now()');
    await this.dataSource.query("DELETE FROM mfa_cli_approvals WHERE expires_at < now() - interval '1 hour'");
    await this.dataSource.query(
      `DELETE FROM mfa_attempts WHERE attempted_at < now() - interval '${ATTEMPT_RETENTION}'`,
    );
  }
}
