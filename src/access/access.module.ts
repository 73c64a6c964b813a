import { Module } from '@nestjs/common';
import { AccessDirectory } from './access-directory';
import { AccessReviewService } from './access-review.service';
import { AccessController } from './access.controller';
import { AccessService } from './access.service';
import { MfaStatusSource, UnknownMfaStatus } from './mfa-status';

/** Auditor questions over users, tokens, roles and the audit trail (RoleDirectory comes from RolesModule). */
@Module({
  controllers: [AccessController],
  providers: [
    AccessDirectory,
    AccessService,
    AccessReviewService,
    // The seam for the MFA module: replace with its own MfaStatusSource once it exists.
    { provide: MfaStatusSource, useClass: UnknownMfaStatus },
  ],
  exports: [AccessDirectory],
})
export class AccessModule {}
