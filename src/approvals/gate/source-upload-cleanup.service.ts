import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SourceUploads } from './source-uploads';

const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Deletes the source uploads no build can use any more (a deploy started from the wrong commit, a run that
 * stopped after its upload), so the table holds only what may still be built and what was. Their audit
 * events stay: the audit log is the record of the upload, this table only what a build may bind.
 */
@Injectable()
export class SourceUploadCleanup implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SourceUploadCleanup');
  private timer?: NodeJS.Timeout;

  constructor(private readonly uploads: SourceUploads) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; failures are logged and retried at the next one. */
  async sweep(): Promise<number> {
    try {
      return await this.uploads.deleteUnbuildable();
    } catch (error) {
      this.logger.warn(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
