import type { AppConfig } from '../config/app-config';

// Orchestrator probes address the pod directly, with its IP as Host; they carry no credentials.
const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** Why a request's Host is refused, for the 400 answer (`invalid_host`). */
export interface HostRefusal {
  error: 'invalid_host';
  message: string;
}

/**
 * In production the Host header must be PUBLIC_URL's host: cookies, OAuth redirects and CSRF origins are
 * all derived from it, so a request for another name (DNS rebinding, a stray vhost) is refused. One check
 * for the HTTP guard and the websocket upgrade handler, which Nest guards never see.
 */
export class HostCheck {
  private readonly expectedHost: string;

  constructor(private readonly config: AppConfig) {
    this.expectedHost = new URL(config.http.publicUrl).host.toLowerCase();
  }

  /** `undefined` when the request may proceed; `path` is the URL path without the query. */
  refusalFor(hostHeader: string | undefined, path: string): HostRefusal | undefined {
    if (this.config.mode !== 'production' || PROBE_PATHS.has(path)) return undefined;
    const host = (hostHeader ?? '').toLowerCase().replace(/\.$/, '');
    if (host === this.expectedHost) return undefined;
    return { error: 'invalid_host', message: `this gateway answers only for ${this.expectedHost}` };
  }
}
