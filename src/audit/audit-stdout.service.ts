import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuditEventView } from './audit-event-view';
import { stdoutLineFor } from './audit-stdout';

/** Mirrors each finished event to stdout (AUDIT_STDOUT), next to, not through, the application logger. */
@Injectable()
export class AuditStdout {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether events are mirrored at all: when not, nobody needs a completed event's whole row. */
  get enabled(): boolean {
    return this.config.audit.stdout;
  }

  write(event: AuditEventView): void {
    if (this.config.audit.stdout) process.stdout.write(stdoutLineFor(event));
  }
}
