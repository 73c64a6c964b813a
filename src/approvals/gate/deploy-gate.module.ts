import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RbacModule } from '../../rbac/rbac.module';
import { ApprovalsModule } from '../approvals.module';
import { DeployApprovalGuard } from './deploy-approval.guard';
import { DeployApprovalSourceEntity } from './deploy-approval-source.entity';
import { DeployGate } from './deploy-gate.service';

/** Deploy approvals on the rack proxy: the gate, its HTTP guard and what it reads from source uploads. */
@Module({
  imports: [TypeOrmModule.forFeature([DeployApprovalSourceEntity]), ApprovalsModule, RbacModule],
  providers: [DeployGate, DeployApprovalGuard],
  exports: [DeployGate, DeployApprovalGuard],
})
export class DeployGateModule {}
