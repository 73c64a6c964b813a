import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { accessRecordOf } from '../access-record';
import { AccessRefusal } from '../access-refusal';
import type { AccessAttempt, AccessStep } from './access-attempt';
import { AccessChain, ADMIN_STEPS, PROXY_STEPS } from './access-chain';
import { AuditFirstStep } from './steps/audit-first.step';
import { AuthenticationStep } from './steps/authentication.step';
import { DestructiveActionStep } from './steps/destructive-action.step';
import { EnvChangeStep } from './steps/env-change.step';
import { HostStep } from './steps/host.step';

/** Runs the chain's own loop over hand-made steps: what it records and when it stops. */
function chainOf(steps: AccessStep[]): AccessChain {
  const chain = new AccessChain({ get: () => undefined } as never);
  (chain as unknown as { proxy: AccessStep[] }).proxy = steps;
  return chain;
}

const attemptFor = (): AccessAttempt => ({
  req: { headers: {}, method: 'GET', url: '/api/v1/rack-proxy/apps' } as unknown as IncomingMessage,
  transport: 'http',
  clientIp: '127.0.0.1',
  url: '/api/v1/rack-proxy/apps',
});

@Injectable()
class Passes implements AccessStep {
  readonly name = 'passes';
  check(): void {}
}

describe('AccessChain', () => {
  it('puts the audit event before anything that talks to the rack, and policy refusals before the event', () => {
    const order = PROXY_STEPS as readonly unknown[];
    expect(order[0]).toBe(HostStep);
    expect(order.indexOf(AuthenticationStep)).toBeLessThan(order.indexOf(DestructiveActionStep));
    expect(order.indexOf(DestructiveActionStep)).toBeLessThan(order.indexOf(AuditFirstStep));
    // The env-change step reads the rack's current env: it must run with the event already durable.
    expect(order.indexOf(AuditFirstStep)).toBeLessThan(order.indexOf(EnvChangeStep));
    expect(order[order.length - 1]).toBe(EnvChangeStep);
    expect((ADMIN_STEPS as readonly unknown[]).slice(0, 2)).toEqual([HostStep, AuthenticationStep]);
  });

  it('records every decision in order, the refusal with its code, and stops there', async () => {
    const later = { name: 'later', check: jest.fn() };
    const refuses: AccessStep = {
      name: 'refuses',
      check: () => {
        throw new AccessRefusal(
          'approval-required',
          { error: 'deploy needs an approved deploy approval' },
          { permission: 'convox:build:create' },
        );
      },
    };
    const attempt = attemptFor();
    await expect(chainOf([new Passes(), refuses, later]).runProxy(attempt)).rejects.toMatchObject({
      code: 'approval-required',
    });
    expect(later.check).not.toHaveBeenCalled();
    expect(accessRecordOf(attempt.req).decisions).toEqual([
      { step: 'passes', code: 'allowed' },
      {
        step: 'refuses',
        code: 'approval-required',
        reason: 'deploy needs an approved deploy approval',
        permission: 'convox:build:create',
      },
    ]);
  });

  it('lets a failure that is no decision (a database outage) through unrecorded', async () => {
    const outage = new Error('connect ECONNREFUSED');
    const failing: AccessStep = {
      name: 'lookup',
      check: () => Promise.reject(outage),
    };
    const attempt = attemptFor();
    await expect(chainOf([failing]).runProxy(attempt)).rejects.toBe(outage);
    expect(accessRecordOf(attempt.req).decisions).toEqual([]);
  });
});
