import type { ConvoxRoute, HttpMethod } from '../convox-routes';

/**
 * A concrete request for each table row, built from its pattern, so table-driven tests cover a new route
 * with no new test code. Parameter values are derived from the parameter names (`:app` → `app-1`).
 */
export interface SampleRequest {
  method: HttpMethod;
  isWebsocket: boolean;
  path: string;
  params: Record<string, string>;
}

const PLAIN_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function samplePath(pattern: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const segments = pattern.split('/').map((segment) => {
    if (segment.startsWith('*')) {
      const value = `${segment.slice(1)}-dir/${segment.slice(1)}-1.tgz`;
      params[segment.slice(1)] = value;
      return value;
    }
    if (!segment.startsWith(':')) return segment;
    const dot = segment.indexOf('.');
    const name = dot === -1 ? segment.slice(1) : segment.slice(1, dot);
    params[name] = `${name}-1`;
    return dot === -1 ? `${name}-1` : `${name}-1${segment.slice(dot)}`;
  });
  return { path: segments.join('/'), params };
}

export function sampleRequests(route: ConvoxRoute): SampleRequest[] {
  const { path, params } = samplePath(route.pattern);
  if (route.method === 'SOCKET') return [{ method: 'GET', isWebsocket: true, path, params }];
  const methods = route.method === 'ANY' ? PLAIN_METHODS : [route.method];
  return methods.map((method) => ({ method, isWebsocket: false, path, params }));
}
