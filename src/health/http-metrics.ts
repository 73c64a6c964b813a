import { isRackProxyPath } from '../access-control/rack-proxy-path';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics for HTTP traffic. Each application gets its own registry (not prom-client's global
 * one) so several gateways can run in one process, as the tests do.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'rack_gateway_http_requests_total',
    help: 'HTTP requests handled, by route class, method and status',
    labelNames: ['route_class', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'rack_gateway_http_request_duration_seconds',
    help: 'Time from request start until the response finished, by route class and status',
    labelNames: ['route_class', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  observe(routeClass: RouteClass, method: string, status: number, seconds: number): void {
    this.requests.inc({ route_class: routeClass, method, status: String(status) });
    this.duration.observe({ route_class: routeClass, status: String(status) }, seconds);
  }
}

export type RouteClass = 'proxy' | 'auth' | 'admin' | 'health' | 'docs' | 'other';

/** Groups paths into a handful of classes so label cardinality stays bounded whatever clients send. */
export function routeClassOf(path: string): RouteClass {
  if (isRackProxyPath(path)) return 'proxy';
  if (path.startsWith('/api/v1/auth')) return 'auth';
  if (path.startsWith('/api/docs')) return 'docs';
  if (path.startsWith('/api/')) return 'admin';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return 'health';
  return 'other';
}
