import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RbacModule } from '../../rbac/rbac.module';
import { ApprovalsModule } from '../approvals.module';
import { DeployApprovalSourceEntity } from './deploy-approval-source.entity';
import { DeployGate } from './deploy-gate.service';

/**
 * Deploy approvals on the rack proxy: the gate the access chain's deploy-approval step asks, and what it
 * reads from source uploads.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DeployApprovalSourceEntity]), ApprovalsModule, RbacModule],
  providers: [DeployGate],
  exports: [DeployGate],
})
export class DeployGateModule {}
