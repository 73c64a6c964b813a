import { Module } from '@nestjs/common';
import { AccessDirectory } from './access-directory';
import { AccessReviewService } from './access-review.service';
import { AccessController } from './access.controller';
import { AccessService } from './access.service';
import { MfaModule } from '../mfa/mfa.module';
import { MfaReviewStatus } from '../mfa/mfa-review-status';
import { MfaStatusSource } from '../mfa/mfa-status-source';

/** Auditor questions over users, tokens, roles and the audit trail (RoleDirectory comes from RolesModule). */
@Module({
  imports: [MfaModule],
  controllers: [AccessController],
  providers: [
    AccessDirectory,
    AccessService,
    AccessReviewService,
    // Whether each user has a confirmed second factor comes from the MFA module.
    { provide: MfaStatusSource, useExisting: MfaReviewStatus },
  ],
  exports: [AccessDirectory],
})
export class AccessModule {}
