import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Runs an audited change made outside any HTTP request (an operator command) so that what the services
 * tell the audit trail while it runs (`AuditRecorder.annotate`: the sessions a lock revoked, the token a
 * call created …) is collected into `into`, for the outcome of that change's one event — the same details
 * the admin API's event of the same change gets.
 */
export function collectAnnotations<T>(into: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  return scope.run(into, work);
}

/** The collection of the change running in this async flow, if it runs under `collectAnnotations`. */
export function annotationScope(): Record<string, unknown> | undefined {
  return scope.getStore();
}
