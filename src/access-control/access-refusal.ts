import { HttpException } from '@nestjs/common';
import type { AccessDecision, RefusalCode } from './access-decision';
import { statusOf } from './access-decision';

/** The body a refusal is answered with: a machine code and, on the admin API, a human message. */
export interface RefusalBody {
  error: string;
  message?: string;
}

export interface RefusalOptions {
  permission?: string;
  /** The finer audit rule, when it says more than the code. */
  rule?: string;
  details?: Record<string, unknown>;
  /** Headers the answer carries whatever the transport (Retry-After, X-MFA-Required). */
  headers?: Record<string, string>;
  /** What failed underneath (a database outage behind `audit-unavailable`). */
  cause?: unknown;
}

/**
 * A step's refusal. The status comes from the code (statusOf), never from the thrower; the global exception
 * filter and the websocket upgrade both answer it, and the access chain records `decision` before it is
 * thrown on.
 */
export class AccessRefusal extends HttpException {
  readonly headers: Record<string, string>;

  constructor(
    readonly code: RefusalCode,
    readonly body: RefusalBody,
    private readonly refusal: RefusalOptions = {},
  ) {
    super(body, statusOf(code), refusal.cause === undefined ? undefined : { cause: refusal.cause });
    this.headers = refusal.headers ?? {};
  }

  /** The decision as the audit trail records it (the step is filled in by the chain). */
  decisionOf(step: string): AccessDecision {
    return {
      step,
      code: this.code,
      reason: this.body.message ?? this.body.error,
      ...(this.refusal.rule ? { rule: this.refusal.rule } : {}),
      ...(this.refusal.permission ? { permission: this.refusal.permission } : {}),
      ...(this.refusal.details ? { details: this.refusal.details } : {}),
    };
  }
}
