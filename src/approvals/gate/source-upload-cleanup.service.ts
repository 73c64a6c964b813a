import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../database/periodic-sweep';
import { SourceUploads } from './source-uploads';

const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Deletes the source uploads no build can use any more (a deploy started from the wrong commit, a run that
 * stopped after its upload), so the table holds only what may still be built and what was. Their audit
 * events stay: the audit log is the record of the upload, this table only what a build may bind.
 */
@Injectable()
export class SourceUploadCleanup extends PeriodicSweep {
  constructor(private readonly uploads: SourceUploads) {
    super('SourceUploadCleanup', SWEEP_INTERVAL_MS);
  }

  protected sweepOnce(): Promise<number> {
    return this.uploads.deleteUnbuildable();
  }
}
