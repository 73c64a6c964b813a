import { Module } from '@nestjs/common';
import { RbacModule } from '../../rbac/rbac.module';
import { ApprovalsModule } from '../approvals.module';
import { DeployGate } from './deploy-gate.service';
import { SourceUploadCleanup } from './source-upload-cleanup.service';
import { SourceUploads } from './source-uploads';

/**
 * Deploy approvals on the rack proxy: the gate the access chain's deploy-approval step asks, and the source
 * uploads it records (and cleans up once no build can use them).
 */
@Module({
  imports: [ApprovalsModule, RbacModule],
  providers: [DeployGate, SourceUploads, SourceUploadCleanup],
  exports: [DeployGate],
})
export class DeployGateModule {}
