import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { ApprovalTracking, TrackingChange } from '../approval-tracking.service';
import type { GateTracking } from './deploy-gate-decision';
import { refusals } from './deploy-gate-refusals';
import type { GateUpload } from './gate-upload';
import type { SourceUploads } from './source-uploads';

/**
 * An admitted deploy step whose request row is locked in an open transaction. The rack's answer is handed
 * to `settle` before the client sees it: what the call used the approval for is written and committed
 * there, and if that fails the client gets an error instead of the answer (the approval is not
 * consumed by a call nobody could see succeed). `abandon` rolls back (the rack refused, the client left).
 */
export class GatePass {
  private finished = false;
  private readonly logger = new Logger('DeployGate');

  constructor(
    readonly approvalId: string,
    readonly tracking: GateTracking,
    private readonly runner: QueryRunner,
    private readonly stores: { approvals: ApprovalTracking; uploads: SourceUploads },
    private readonly actor: { email: string; tokenId?: string },
    /** Builds: the upload the build is made from (its row is locked in this transaction too). */
    readonly upload?: GateUpload,
  ) {}

  /** The rack answered `status` with `body` (parsed JSON for a 2xx, else undefined). Throws to fail the call. */
  async settle(status: number, body: unknown): Promise<void> {
    if (this.finished) return;
    if (status < 200 || status >= 300) return this.abandon();
    this.finished = true;
    try {
      await this.write(body);
      await this.runner.commitTransaction();
    } catch (error) {
      await this.rollback();
      this.logger.error(`tracking for deploy request ${this.approvalId} failed: ${String(error)}`);
      throw new HttpException({ error: refusals.trackingFailed() }, HttpStatus.SERVICE_UNAVAILABLE, {
        cause: error,
      });
    } finally {
      if (!this.runner.isReleased) await this.runner.release();
    }
  }

  /** Nothing is recorded; the row lock is released. Safe to call more than once, and after settle. */
  async abandon(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.rollback();
    if (!this.runner.isReleased) await this.runner.release();
  }

  private async rollback(): Promise<void> {
    try {
      if (this.runner.isTransactionActive) await this.runner.rollbackTransaction();
    } catch (error) {
      this.logger.warn(`rollback of deploy request ${this.approvalId} tracking failed: ${String(error)}`);
    }
  }

  private async write(body: unknown): Promise<void> {
    const manager = this.runner.manager;
    const answer = (body ?? {}) as Record<string, unknown>;
    const text = (key: string): string | undefined => {
      const value = answer[key];
      return typeof value === 'string' && value.trim() !== '' ? value : undefined;
    };
    const record = (change: TrackingChange) => this.stores.approvals.record(manager, this.approvalId, change);
    switch (this.tracking) {
      case 'none':
      case 'exec':
        return;
      case 'upload':
        throw new Error('a source upload is recorded by its UploadPass, not on a request');
      case 'build': {
        const release = text('release');
        // A build made from an upload binds it to the request; an import has none.
        if (this.upload) await this.stores.uploads.bind(manager, this.upload.id, this.approvalId);
        await record({
          buildId: required(text('id'), 'the rack answered the build without an id'),
          ...(this.upload ? { objectUrl: this.upload.objectUrl } : {}),
          ...(release ? { releaseId: release } : {}),
        });
        return;
      }
      case 'build-release': {
        const release = text('release');
        if (release) await record({ releaseId: release });
        return;
      }
      case 'process':
        await record({
          processId: required(text('id'), 'the rack answered the process start without an id'),
        });
        return;
      case 'deploy':
        // `deployed` and its notification jobs are written here, so they commit with the tracking.
        await this.stores.approvals.markDeployed(this.approvalId, this.actor, manager);
        return;
    }
  }
}

function required(value: string | undefined, problem: string): string {
  if (value === undefined) throw new Error(problem);
  return value;
}
