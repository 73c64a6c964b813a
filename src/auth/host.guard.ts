import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { apiError } from './auth-failure';
import { HostCheck } from './host-check';

/** Refuses requests for a Host other than PUBLIC_URL's in production with 400 (see HostCheck). */
@Injectable()
export class HostGuard implements CanActivate {
  private readonly check: HostCheck;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.check = new HostCheck(config);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const refusal = this.check.refusalFor(req.headers.host, req.path);
    if (!refusal) return true;
    throw apiError(HttpStatus.BAD_REQUEST, refusal.error, refusal.message);
  }
}
