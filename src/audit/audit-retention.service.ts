import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';
import { checkpointMacOf } from './audit-chain';
import { AuditService } from './audit.service';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 5000;

/**
 * Deletes events older than the `audit.retention_days` setting (read at each run), oldest first, in batches. Each batch commits together
 * with a checkpoint (the chain value of the last deleted event, MACed with the audit key), so the chain
 * still verifies from the checkpoint on. The run is recorded as an event of its own.
 */
@Injectable()
export class AuditRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.mode === 'test') return;
    this.timer = setInterval(() => void this.prune().catch((e) => this.logger.error(e)), DAY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Prunes everything older than `before` (default: now − retention days); returns how many went. */
  async prune(before?: Date): Promise<number> {
    const cutoff =
      before ?? new Date(Date.now() - (await this.settings.get('audit.retention_days')) * DAY_MS);
    return this.pruneBefore(cutoff);
  }

  private async pruneBefore(before: Date): Promise<number> {
    const key = this.config.audit.hmacSecret;
    if (!key) throw new Error('AUDIT_HMAC_SECRET is required for retention checkpoints');
    let total = 0;
    let throughIndex: string | null = null;
    for (;;) {
      const deleted = await this.dataSource.transaction(async (manager) => {
        // The trigger lets deletes through only with this transaction-local flag.
        await manager.query("SELECT set_config('rack_gateway.audit_prune', 'on', true)");
        // Never prune the head: the next append links to it.
        const rows = (await manager.query(
          `SELECT chain_index, chain_value FROM audit_events
           WHERE occurred_at < $1 AND chain_index < (SELECT max(chain_index) FROM audit_events)
           ORDER BY chain_index LIMIT ${BATCH}`,
          [before.toISOString()],
        )) as { chain_index: string; chain_value: Buffer }[];
        if (rows.length === 0) return 0;
        const last = rows[rows.length - 1];
        await manager.query('DELETE FROM audit_events WHERE chain_index <= $1', [last.chain_index]);
        const [previous] = (await manager.query(
          'SELECT pruned_count::text AS pruned_count FROM audit_chain_checkpoints ORDER BY through_index DESC LIMIT 1',
        )) as { pruned_count: string }[];
        const prunedCount = String(BigInt(previous?.pruned_count ?? '0') + BigInt(rows.length));
        await manager.query(
          `INSERT INTO audit_chain_checkpoints (through_index, chain_value, pruned_count, mac) VALUES ($1, $2, $3, $4)`,
          [
            last.chain_index,
            last.chain_value,
            prunedCount,
            checkpointMacOf(key, last.chain_index, last.chain_value, prunedCount),
          ],
        );
        throughIndex = last.chain_index;
        return rows.length;
      });
      total += deleted;
      if (deleted < BATCH) break;
    }
    if (total > 0) {
      await this.audit.record({
        action: 'gateway:audit:prune',
        decision: 'allow',
        rule: 'retention',
        status: 200,
        details: { deleted: total, throughIndex, before: before.toISOString() },
      });
      this.logger.log(`pruned ${total} audit events through chain index ${throughIndex}`);
    }
    return total;
  }
}
