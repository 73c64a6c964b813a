import type { SourceInspection } from './source-manifest-tap';

/** What the gate reads of an upload a build names. */
export interface GateUpload {
  readonly id: string;
  readonly objectUrl: string;
  readonly startedAt: Date;
  /** The upload started before the build's request was approved (compared in the database, to the microsecond). */
  readonly startedBeforeApproval: boolean;
  /** The request a build already bound it to, if any. */
  readonly approvalRequestId: string | null;
  readonly inspection: SourceInspection;
}
