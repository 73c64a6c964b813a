import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { ProxiedRequest } from '../../proxy/rack-proxy-request';
import { ConvoxAuthorizerService } from '../../rbac/convox-authorizer.service';
import { isWebsocketUpgrade } from '../../rbac/method-safety';
import { stripRackProxyPrefix } from '../../rbac/rack-proxy-prefix';
import { approvalLink } from '../approval-audit';
import { DeployGate } from './deploy-gate.service';
import { headerFacts, readBuildForm } from './gate-call-facts';
import { SourceManifestTap } from './source-manifest-tap';

/**
 * The deploy gate on plain HTTP rack calls. Runs before RbacGuard: when the principal's own permissions
 * refuse a deploy step and the gate speaks for it (a `deploy_with_approval` token), the gate decides,
 * and an admitted call carries its approval (`req.deployApproval`) past RbacGuard to the forwarder,
 * which hands the rack's answer to the approval before the client sees it. Anything else passes
 * untouched to RbacGuard.
 */
@Injectable()
export class DeployApprovalGuard implements CanActivate {
  constructor(
    private readonly authorizer: ConvoxAuthorizerService,
    private readonly gate: DeployGate,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ProxiedRequest>();
    const principal = req.principal;
    const raw = stripRackProxyPrefix(req.originalUrl);
    if (!principal || principal.kind !== 'token' || raw === null) return true;
    const websocket = isWebsocketUpgrade(req.headers);
    const own = this.authorizer.authorize(principal, req.method, raw, req.headers, websocket);
    if (own.allowed || own.status !== 403) return true;
    const located = this.authorizer.locate(req.method, raw, req.headers, websocket);
    if (!located.allowed) return true;
    const { allowed: _allowed, ...authorized } = located;
    const step = this.gate.stepFor(principal, authorized);
    if (!step) return true;

    let facts = headerFacts(step, req.headers);
    if (step.kind === 'build-create') {
      const form = await readBuildForm(req, req.headers, authorized.query);
      facts = form.facts;
      req.rackBody = form.raw;
    }
    const tap = step.kind === 'object-upload' ? new SourceManifestTap() : undefined;
    const admitted = await this.gate.admit(principal, step, facts, { tap, request: req });
    req.convoxRoute = authorized;
    req.deployApproval = { approvalId: admitted.approvalId };
    if (tap) req.rackBodyTap = tap;
    if (admitted.pass) req.rackAnswerCheck = admitted.pass;
    // The commit a build names goes to its audit event too: the deployments report compares it with the
    // approved one.
    req.auditDetails = {
      ...req.auditDetails,
      ...approvalLink(admitted.approvalId),
      ...(facts.gitSha ? { gitCommit: facts.gitSha } : {}),
    };
    // The client leaving before the rack answered must release the request's row.
    if (admitted.pass) {
      const pass = admitted.pass;
      context
        .switchToHttp()
        .getResponse<NodeJS.EventEmitter>()
        .once('close', () => void pass.abandon());
    }
    return true;
  }
}
