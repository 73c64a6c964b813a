import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { apiError } from './auth-failure';

// Orchestrator probes address the pod directly, with its IP as Host; they carry no credentials.
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * In production the Host header must be PUBLIC_URL's host: cookies, OAuth redirects and CSRF origins are
 * all derived from it, so a request for another name (DNS rebinding, a stray vhost) is refused with 400.
 */
@Injectable()
export class HostGuard implements CanActivate {
  private readonly expectedHost: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.expectedHost = new URL(config.http.publicUrl).host.toLowerCase();
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.config.mode !== 'production' || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (PROBE_PATHS.has(req.path)) return true;
    const host = (req.headers.host ?? '').toLowerCase().replace(/\.$/, '');
    if (host === this.expectedHost) return true;
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'invalid_host',
      `this gateway answers only for ${this.expectedHost}`,
    );
  }
}
