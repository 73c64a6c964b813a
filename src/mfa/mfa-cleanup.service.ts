import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

const SWEEP_INTERVAL_MS = 60_000;
// Attempts are kept a day (the limits look back five minutes; the rest is for a person investigating).
const ATTEMPT_RETENTION = '1 day';

/**
 * Deletes expired WebAuthn challenges, passkey proofs and CLI approvals and old verification attempts, so these tables
 * stay small (the original never pruned its attempt and used-step tables).
 */
@Injectable()
export class MfaCleanupService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MfaCleanup');
  private timer?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      await this.dataSource.query('DELETE FROM mfa_challenges WHERE expires_at < now()');
      await this.dataSource.query('DELETE FROM mfa_action_proofs WHERE expires_at < now()');
      await this.dataSource.query(
        "DELETE FROM mfa_cli_approvals WHERE expires_at < now() - interval '1 hour'",
      );
      await this.dataSource.query(
        `DELETE FROM mfa_attempts WHERE attempted_at < now() - interval '${ATTEMPT_RETENTION}'`,
      );
    } catch (error) {
      this.logger.warn(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
