import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { RackAnswerCheck } from '../../proxy/rack-proxy-request';
import { refusals } from './deploy-gate-refusals';
import type { SourceManifestTap } from './source-manifest-tap';
import type { SourceUploads } from './source-uploads';

/** How long a finished upload's inspection may take to settle before the upload is not recorded. */
const INSPECTION_WAIT_MS = 10_000;

/**
 * An admitted source upload, its object key reserved (no row lock is held while the body streams). When
 * the rack stored it, its url and the manifests the tap read are recorded before the client sees the
 * answer; if that fails the client gets 503 instead, and no build can name the upload. When there is no
 * answer to record (the rack refused, the client left), the key is released.
 */
export class UploadPass implements RackAnswerCheck {
  private finished = false;
  private readonly logger = new Logger('DeployGate');

  constructor(
    readonly uploadId: string,
    private readonly uploads: SourceUploads,
    private readonly tap: SourceManifestTap,
  ) {}

  async settle(status: number, body: unknown): Promise<void> {
    if (this.finished) return;
    if (status < 200 || status >= 300) return this.abandon();
    this.finished = true;
    try {
      const url = (body as { Url?: unknown } | undefined)?.Url;
      if (typeof url !== 'string' || url.trim() === '')
        throw new Error('the rack answered the upload without a Url');
      const inspection = await withTimeout(this.tap.inspection, INSPECTION_WAIT_MS);
      await this.uploads.complete(this.uploadId, url, inspection);
    } catch (error) {
      this.logger.error(`recording source upload ${this.uploadId} failed: ${String(error)}`);
      throw new HttpException({ error: refusals.trackingFailed() }, HttpStatus.SERVICE_UNAVAILABLE, {
        cause: error,
      });
    }
  }

  /** Safe to call more than once, and after settle. */
  async abandon(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.uploads.release(this.uploadId);
    } catch (error) {
      // The reservation stays; the cleanup deletes it once no approval can use it.
      this.logger.warn(`releasing source upload ${this.uploadId} failed: ${String(error)}`);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the upload inspection did not finish')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
