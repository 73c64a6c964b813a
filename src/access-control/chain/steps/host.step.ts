import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AccessRefusal } from '../../access-refusal';
import { HostCheck } from '../../host-check';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/** Refuses requests for a Host other than PUBLIC_URL's in production (400 `host-refused`). */
@Injectable()
export class HostStep implements AccessStep {
  readonly name = 'host';
  private readonly hostCheck: HostCheck;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.hostCheck = new HostCheck(config);
  }

  check({ req, url }: AccessAttempt): void {
    const refusal = this.hostCheck.refusalFor(req.headers.host, url.split('?')[0]);
    if (refusal) throw new AccessRefusal('host-refused', refusal, { rule: refusal.error });
  }
}
