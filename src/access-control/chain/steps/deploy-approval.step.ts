import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AccessRefusal } from '../../access-refusal';
import { accessRecordOf } from '../../access-record';
import type { AccessAttempt, AccessStep } from '../access-attempt';
import { approvalLink, sourceUploadLink } from '../../../approvals/approval-audit';
import { DeployGate, DeployGateRefusal } from '../../../approvals/gate/deploy-gate.service';
import { headerFacts, readBuildForm } from '../../../approvals/gate/gate-call-facts';
import { SourceManifestTap } from '../../../approvals/gate/source-manifest-tap';

/**
 * The access chain's deploy-approval step. The rack-route step leaves a `deploy_with_approval` token's
 * deploy step open (`req.deployStep`) instead of refusing it; here the deploy gate decides it. An admitted
 * call carries its approval to the audit event (`approvalRequestId`, and a build's `gitCommit`; a source
 * upload and the build made from it `sourceUploadId`) and, when
 * the rack's answer must be recorded, to the forwarder (`rackAnswerCheck`; uploads also `rackBodyTap`).
 * A refusal is `approval-required` (403) with the gate's words.
 */
@Injectable()
export class DeployApprovalStep implements AccessStep {
  readonly name = 'deploy-approval';

  constructor(private readonly gate: DeployGate) {}

  async check({ req, transport }: AccessAttempt): Promise<void> {
    const step = req.deployStep;
    const principal = req.principal;
    const route = req.convoxRoute;
    if (!step || !principal || !route) return;

    let facts = headerFacts(step, req.headers);
    if (step.kind === 'build-create' && transport === 'http') {
      const form = await readBuildForm(req, req.headers, route.query);
      facts = form.facts;
      req.rackBody = form.raw;
    }
    const tap = step.kind === 'object-upload' ? new SourceManifestTap() : undefined;
    let admitted;
    try {
      admitted = await this.gate.admit(principal, step, facts, { tap, request: req });
    } catch (error) {
      if (!(error instanceof DeployGateRefusal)) throw error;
      throw new AccessRefusal(
        'approval-required',
        { error: error.reason },
        error.approvalId ? { details: approvalLink(error.approvalId) } : {},
      );
    }
    const { approvalId, sourceUploadId } = admitted;
    req.deployApproval = { approvalId, sourceUploadId };
    if (tap) req.rackBodyTap = tap;
    const record = accessRecordOf(req);
    // The commit a build names goes to its audit event too: the deployments report compares it with the
    // approved one. An upload's event names its upload, which the build that binds it links to the request.
    record.eventDetails = {
      ...record.eventDetails,
      ...(approvalId ? approvalLink(approvalId) : {}),
      ...(sourceUploadId ? sourceUploadLink(sourceUploadId) : {}),
      ...(facts.gitSha ? { gitCommit: facts.gitSha } : {}),
    };
    const pass = admitted.pass;
    if (pass) {
      req.rackAnswerCheck = pass;
      // The client leaving (or a later step refusing) before the rack answered releases the request's row.
      (req as { res?: ServerResponse }).res?.once('close', () => void pass.abandon());
    }
  }
}
