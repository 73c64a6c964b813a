import { Injectable, OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { recordDecision } from '../access-record';
import { AccessRefusal } from '../access-refusal';
import type { AccessAttempt, AccessStep } from './access-attempt';
import { AdminMfaStep } from './steps/admin-mfa.step';
import { AuditFirstStep } from './steps/audit-first.step';
import { AuthenticationStep } from './steps/authentication.step';
import { DeployApprovalStep } from './steps/deploy-approval.step';
import { DestructiveActionStep } from './steps/destructive-action.step';
import { EnvChangeStep } from './steps/env-change.step';
import { HostStep } from './steps/host.step';
import { LiveSessionStep } from './steps/live-session.step';
import { RackMfaStep } from './steps/rack-mfa.step';
import { RackRouteStep } from './steps/rack-route.step';
import { RackTargetStep } from './steps/rack-target.step';
import { RoutePermissionStep } from './steps/route-permission.step';

/**
 * THE access chain: every request the gateway serves passes exactly one of these two ordered lists, step by
 * step, the first refusal ending it. This file is the only place the order is written down; the one global
 * guard (AccessChainGuard) runs it for HTTP, and the same AccessChain instance runs for websocket upgrades:
 * the proxy steps in RackUpgradeListener (the rack's websockets), the admin steps in ConsoleUpgradeAdmission
 * (the console's live updates). So a websocket is refused by the same objects, in the same order, with the
 * same decision codes as a plain request.
 */

/** The gateway's own API (`/api/v1/…` except the rack proxy, and every other route). */
export const ADMIN_STEPS = [
  // Production only: a Host other than PUBLIC_URL's is refused before anything else is read.
  HostStep,
  // Public routes pass every step unasked. Otherwise: credential gate (per-address budget) → session or token
  // lookup → CSRF for cookie callers (an upgrade: session cookie only, Origin and `?csrf=` token).
  AuthenticationStep,
  // `@RequirePermission(p)` needs p, `@Authenticated()` only a principal; a route declaring neither is refused.
  RoutePermissionStep,
  // The MFA level of the route's permission (or `@MfaLevel`); reads need none.
  AdminMfaStep,
] as const satisfies readonly Type<AccessStep>[];

/**
 * The rack proxy (`/api/v1/rack-proxy/*`, HTTP and websocket upgrades).
 *
 * Extension point: a step that may stop a rack call goes between DestructiveActionStep and AuditFirstStep.
 * Implement AccessStep as an @Injectable() class, throw `new AccessRefusal('<code>', { error })` to refuse
 * (deploy approvals use `approval-required`; the code decides the status, see access-decision.ts), put the
 * class in this list and its module in AccessControlModule's imports. Everything before AuditFirstStep
 * must not talk to the rack; everything after it runs with the request's audit event already durable and
 * adds to it with `AuditRecorder.annotate`.
 */
export const PROXY_STEPS = [
  HostStep,
  // Names the rack route from the raw path alone (for the audit event of any refusal); refuses nothing.
  RackTargetStep,
  AuthenticationStep,
  // Method, path safety, the route table and the principal's ability (app-scoped grants included).
  RackRouteStep,
  // Websockets only: registered for access-change revocation from here on (refuses nothing).
  LiveSessionStep,
  RackMfaStep,
  // `proxy.allow_destructive_actions` off: deleting apps, instances and resources is refused.
  DestructiveActionStep,
  // A `deploy_with_approval` token's deploy step (the rack-route step left it open): an approved, unexpired
  // deploy request of the token must cover it; its row stays locked until the rack's answer is recorded.
  DeployApprovalStep,
  // Audit first: the event is committed before anything talks to the rack; 503 when it cannot be.
  AuditFirstStep,
  // Reads the rack's current env (after the event is open) for a release carrying env, enforces protected
  // keys and env/secret permissions, and annotates the open event with the changed key names.
  EnvChangeStep,
] as const satisfies readonly Type<AccessStep>[];

/** Every step class, for the module's providers. */
export const ALL_STEPS: readonly Type<AccessStep>[] = [...new Set([...ADMIN_STEPS, ...PROXY_STEPS])];

@Injectable()
export class AccessChain implements OnModuleInit {
  private admin: readonly AccessStep[] = [];
  private proxy: readonly AccessStep[] = [];

  constructor(private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.admin = ADMIN_STEPS.map((step) => this.modules.get<AccessStep>(step, { strict: false }));
    this.proxy = PROXY_STEPS.map((step) => this.modules.get<AccessStep>(step, { strict: false }));
  }

  runAdmin(attempt: AccessAttempt): Promise<void> {
    return this.run(this.admin, attempt);
  }

  runProxy(attempt: AccessAttempt): Promise<void> {
    return this.run(this.proxy, attempt);
  }

  /** The step names in order, for tests and the docs. */
  stepNames(): { admin: string[]; proxy: string[] } {
    return { admin: this.admin.map((s) => s.name), proxy: this.proxy.map((s) => s.name) };
  }

  private async run(steps: readonly AccessStep[], attempt: AccessAttempt): Promise<void> {
    for (const step of steps) {
      try {
        await step.check(attempt);
      } catch (error) {
        if (error instanceof AccessRefusal) recordDecision(attempt.req, error.decisionOf(step.name));
        throw error;
      }
      recordDecision(attempt.req, { step: step.name, code: 'allowed' });
    }
  }
}
