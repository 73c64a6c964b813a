import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ChainVerification, verifyAuditChain } from './audit-chain-verifier';

const ANCHOR_INTERVAL_MS = 60 * 60 * 1000;

/** A line of the anchor file: the chain head at one moment, linked to the previous line by its hash. */
export interface ChainAnchor {
  ts: string;
  chainIndex: string;
  chainValue: string;
  count: number;
  prevAnchorSha256?: string;
}

/**
 * Verification and anchoring. An anchor (head index + chain value + row count) written somewhere the
 * database owner cannot rewrite lets verification notice a chain that was truncated or rebuilt from the
 * start with the key; AUDIT_ANCHOR_FILE appends one every hour and at shutdown.
 */
@Injectable()
export class AuditChainService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditChain');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.audit.anchorFile) return;
    this.timer = setInterval(
      () => void this.writeAnchor().catch((e) => this.logger.error(e)),
      ANCHOR_INTERVAL_MS,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }

  async verify(): Promise<ChainVerification & { anchor?: { ok: boolean; message: string } }> {
    const report = await verifyAuditChain(this.dataSource, this.key());
    const anchor = await this.lastAnchor();
    if (!anchor || !report.ok) return report;
    const [row] = (await this.dataSource.query(
      'SELECT chain_value FROM audit_events WHERE chain_index = $1',
      [anchor.chainIndex],
    )) as { chain_value: Buffer }[];
    const pruned = report.startedAfter !== null && BigInt(anchor.chainIndex) <= BigInt(report.startedAfter);
    const ok = pruned || row?.chain_value.toString('hex') === anchor.chainValue;
    const message = ok
      ? `anchor at ${anchor.chainIndex} (${anchor.ts}) matches`
      : `anchor at ${anchor.chainIndex} (${anchor.ts}) does not match the database: events were deleted or rewritten`;
    return { ...report, ok: report.ok && ok, anchor: { ok, message } };
  }

  async writeAnchor(): Promise<ChainAnchor | null> {
    const file = this.config.audit.anchorFile;
    if (!file) return null;
    const [head] = (await this.dataSource.query(
      `SELECT chain_index, chain_value, (SELECT count(*)::int FROM audit_events) AS count
       FROM audit_events ORDER BY chain_index DESC LIMIT 1`,
    )) as { chain_index: string; chain_value: Buffer; count: number }[];
    if (!head) return null;
    const previous = await readFile(file, 'utf8').catch(() => '');
    const lastLine = previous.trimEnd().split('\n').pop();
    const anchor: ChainAnchor = {
      ts: new Date().toISOString(),
      chainIndex: head.chain_index,
      chainValue: head.chain_value.toString('hex'),
      count: head.count,
      ...(lastLine ? { prevAnchorSha256: createHash('sha256').update(lastLine).digest('hex') } : {}),
    };
    await appendFile(file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
    return anchor;
  }

  private async lastAnchor(): Promise<ChainAnchor | null> {
    const file = this.config.audit.anchorFile;
    if (!file) return null;
    const text = await readFile(file, 'utf8').catch(() => '');
    const line = text.trimEnd().split('\n').pop();
    return line ? (JSON.parse(line) as ChainAnchor) : null;
  }

  private key(): string {
    if (!this.config.audit.hmacSecret)
      throw new Error('AUDIT_HMAC_SECRET is required to verify the audit chain');
    return this.config.audit.hmacSecret;
  }
}
