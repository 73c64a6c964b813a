import type { AuditEventView } from './audit-event-view';

/**
 * One JSON line per event in the original's stdout shape (core.md §6.7), so log shippers and CloudWatch
 * metric filters such as `{ $.rbac_decision = "deny" }` keep working. `status` is the HTTP status, as in the
 * original's request lines; `result` carries the success/failed/denied/error classification.
 */
export function stdoutLineFor(event: AuditEventView): string {
  const queryStart = event.path.indexOf('?');
  const line: Record<string, unknown> = {
    ts: `${event.lastAt.slice(0, 19)}Z`,
    user_email: event.actorEmail,
    ...(event.tokenName ? { api_token_name: event.tokenName } : {}),
    ...(event.tokenId ? { api_token_id: event.tokenId } : {}),
    rack: event.rack,
    method: event.method,
    path: queryStart < 0 ? event.path : event.path.slice(0, queryStart),
    ...(queryStart < 0 ? {} : { query_params: event.path.slice(queryStart + 1) }),
    status: event.status ?? 0,
    latency_ms: event.latencyMs ?? 0,
    rbac_decision: event.decision,
    request_id: event.requestId,
    client_ip: event.clientIp,
    user_agent: event.userAgent,
    action_type: event.action.split(':')[0],
    action: event.action,
    resource: event.resourceName,
    resource_type: event.resourceType,
    result: event.result,
    event_count: event.eventCount,
    event_id: event.id,
  };
  const error = (event.outcomeDetails as { error?: unknown } | null)?.error;
  if (typeof error === 'string') line.response_error = error;
  return `${JSON.stringify(line)}\n`;
}
