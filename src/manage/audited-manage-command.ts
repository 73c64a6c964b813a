import type { INestApplicationContext } from '@nestjs/common';
import { collectAnnotations } from '../audit/annotation-scope';
import { AuditRecorder } from '../audit/audit-recorder';
import { afterOf, type AuditState } from '../access-control/audit-snapshot';
import { errorMessage } from '../errors/error-message';
import { COMMAND_SPECS, type ManageCommand, type ManageOptions, type ManageOutput } from './manage-commands';

/** What decided that the change was allowed: whoever can run this holds the database and the audit key. */
const OPERATOR_RULE = 'operator-command';

/**
 * Runs one operator command with the audit event its admin API route would leave, so the trail reads the
 * same whichever channel made a change: the event, with the subject's state in `details.before`, is written
 * before anything changes (if it cannot be, nothing changes); the outcome gets the route's status, what the
 * services noted while it ran, and the state in `after` — or, when the command fails, its status and
 * `error` code and no `after`.
 */
export async function runAuditedManageCommand(
  app: INestApplicationContext,
  command: ManageCommand,
  options: ManageOptions,
  actorEmail: string,
): Promise<ManageOutput> {
  const spec = COMMAND_SPECS[command];
  const audit = app.get(AuditRecorder);
  const snapshot = app.get(spec.snapshot, { strict: false });
  const target = spec.target(options);
  const started = process.hrtime.bigint();
  const latencyMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  let eventId: string;
  try {
    const before = await snapshot.snapshot(target);
    const resourceName = target.params.email;
    eventId = await audit.record({
      action: spec.action,
      decision: 'allow',
      rule: OPERATOR_RULE,
      actorEmail,
      ...(spec.resourceType && resourceName ? { resourceType: spec.resourceType, resourceName } : {}),
      details: { before },
    });
  } catch (cause) {
    throw new Error(`audit log unavailable, nothing was changed: ${errorMessage(cause)}`, { cause });
  }

  const noted: AuditState = {};
  let output: ManageOutput;
  try {
    output = await collectAnnotations(noted, () => spec.run(app, options, actorEmail));
  } catch (error) {
    const failed = {
      status: statusOf(error),
      latencyMs: latencyMs(),
      details: { ...noted, error: errorCodeOf(error) },
    };
    await audit.complete(eventId, failed).catch((lost: unknown) => {
      // What went wrong with the command matters most to the operator; the open event is said too.
      throw new Error(`${errorMessage(error)} (its audit event stays open: ${errorMessage(lost)})`);
    });
    throw error;
  }
  const after = await afterOf(snapshot, { ...target, result: output.result });
  await audit.complete(eventId, {
    status: spec.status,
    latencyMs: latencyMs(),
    details: { ...noted, ...after },
  });
  return output;
}

/** The HTTP status the admin API would have answered with. */
function statusOf(error: unknown): number {
  const status = (error as { getStatus?: () => unknown }).getStatus?.();
  return typeof status === 'number' ? status : 500;
}

/** The machine-readable `error` the admin API would have answered with, as its events record it. */
function errorCodeOf(error: unknown): string {
  const response = (error as { getResponse?: () => unknown }).getResponse?.();
  const code = (response as { error?: unknown } | undefined)?.error;
  return typeof code === 'string' && code !== '' ? code : errorMessage(error).slice(0, 200);
}
