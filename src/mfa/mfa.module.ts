import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { BackupCodesService } from './backup-codes.service';
import { MfaActionProofEntity } from './entities/mfa-action-proof.entity';
import { MfaAttemptEntity } from './entities/mfa-attempt.entity';
import { MfaCliApprovalEntity } from './entities/mfa-cli-approval.entity';
import { MfaBackupCodeEntity } from './entities/mfa-backup-code.entity';
import { MfaChallengeEntity } from './entities/mfa-challenge.entity';
import { MfaMethodEntity } from './entities/mfa-method.entity';
import { MfaSessionStateEntity } from './entities/mfa-session-state.entity';
import { TrustedDeviceEntity } from './entities/trusted-device.entity';
import { MfaActionProofsService } from './mfa-action-proofs.service';
import { MfaAdminController } from './mfa-admin.controller';
import { MfaAttemptsService } from './mfa-attempts.service';
import { MfaCleanupService } from './mfa-cleanup.service';
import { MfaCliApprovalController } from './mfa-cli-approval.controller';
import { MfaCliApprovalService } from './mfa-cli-approval.service';
import { MfaEnforcementService } from './mfa-enforcement.service';
import { MfaEnrolmentController } from './mfa-enrolment.controller';
import { MfaFlowService } from './mfa-flow.service';
import { MfaMethodsService } from './mfa-methods.service';
import { MfaReviewStatus } from './mfa-review-status';
import { MfaPolicy } from './mfa-policy';
import { MfaSecrets } from './mfa-secrets';
import { MfaSessionsService } from './mfa-sessions.service';
import { MfaStatusService } from './mfa-status.service';
import { MfaVerificationService } from './mfa-verification.service';
import { MfaController } from './mfa.controller';
import { TotpService } from './totp.service';
import { TrustedDevicesController } from './trusted-devices.controller';
import { TrustedDevicesService } from './trusted-devices.service';
import { WebauthnService } from './webauthn.service';

/**
 * Second factors for people. MfaEnforcementService is the one MFA decision, asked by the access chain's MFA
 * steps (admin routes and the rack proxy, HTTP and websocket upgrades alike).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      MfaMethodEntity,
      MfaBackupCodeEntity,
      MfaChallengeEntity,
      TrustedDeviceEntity,
      MfaAttemptEntity,
      MfaSessionStateEntity,
      MfaCliApprovalEntity,
      MfaActionProofEntity,
    ]),
    UsersModule,
    SessionsModule,
  ],
  controllers: [
    MfaCliApprovalController,
    MfaController,
    MfaEnrolmentController,
    TrustedDevicesController,
    MfaAdminController,
  ],
  providers: [
    MfaReviewStatus,
    MfaPolicy,
    MfaSecrets,
    TotpService,
    BackupCodesService,
    WebauthnService,
    TrustedDevicesService,
    MfaSessionsService,
    MfaAttemptsService,
    MfaVerificationService,
    MfaActionProofsService,
    MfaEnforcementService,
    MfaMethodsService,
    MfaStatusService,
    MfaFlowService,
    MfaCliApprovalService,
    MfaCleanupService,
  ],
  exports: [MfaReviewStatus, MfaEnforcementService, MfaStatusService, TotpService, MfaPolicy],
})
export class MfaModule {}
