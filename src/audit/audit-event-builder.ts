import type { IncomingMessage } from 'node:http';
import type { Principal } from '../access-control/principal';
import { requestIdFor } from './request-id';
import type { AuditEventInput } from './audit-recorder';
import type { ChainedPart } from './audit-chain';
import type { AuditRequestContext } from './audit-request-context';
import { clientAddressOf } from './client-address';
import type { Redactor } from './redaction';
import { stableJson, storableText } from './stable-json';

/**
 * What AuditService accepts: the shared contract plus the Convox app, when the caller knows it, and the
 * client address of an event written after its requests are gone (a summary of refusals from it).
 */
export type AuditEventRecord = AuditEventInput & { app?: string; clientIp?: string };

export type RequestFields = Omit<ChainedPart, 'chainIndex' | 'id' | 'occurredAt'>;

export interface BuilderSettings {
  rack: string;
  trustProxyHops: number;
  redactor: Redactor;
}

type RequestWithExtras = IncomingMessage & {
  id?: unknown;
  originalUrl?: string;
  principal?: Principal;
  convoxRoute?: { params?: Record<string, string> };
};

const REQUEST_ID = Symbol('rgw.auditRequestId');

/**
 * Turns what a caller knows into the stored, chained fields. Identity comes only from the authenticated
 * principal (never from headers such as X-User-Email), the address from the socket and trusted proxies,
 * and everything free-form passes through the redactor.
 */
export function buildRequestFields(
  input: AuditEventRecord,
  ctx: AuditRequestContext | undefined,
  settings: BuilderSettings,
): RequestFields {
  const req = (input.request ?? ctx?.req) as RequestWithExtras | undefined;
  const principal = input.principal ?? req?.principal ?? null;
  const actorEmail = principal?.email ?? input.actorEmail ?? '';
  const resourceType = input.resourceType ?? '';
  const resourceName = input.resourceName ?? '';
  const app = input.app ?? (resourceType === 'app' ? resourceName : (req?.convoxRoute?.params?.app ?? ''));
  const details = settings.redactor.value(input.details ?? {});
  return {
    requestId: req ? requestIdOf(req, ctx) : '',
    actorType: principal
      ? principal.kind
      : actorEmail
        ? 'user'
        : req || input.clientIp
          ? 'anonymous'
          : 'system',
    actorEmail: text(actorEmail, 254),
    actorUserId: principal?.userId ?? '',
    tokenId: principal?.tokenId ?? '',
    tokenName: text(principal?.tokenName ?? '', 150),
    channel: principal?.channel ?? '',
    clientIp: req ? clientAddressOf(req, settings.trustProxyHops) : text(input.clientIp ?? '', 64),
    userAgent: text(settings.redactor.text(header(req, 'user-agent')), 512),
    rack: settings.rack,
    action: text(input.action, 150),
    resourceType: text(resourceType, 100),
    resourceName: text(settings.redactor.text(resourceName), 255),
    app: text(app, 100),
    method: req?.method ?? '',
    path: text(settings.redactor.url(req ? (req.originalUrl ?? req.url ?? '') : ''), 2000),
    decision: input.decision,
    rule: text(input.rule ?? '', 200),
    details: text(stableJson(details), 8000),
  };
}

/** The id pino-http gave the request (echoed as X-Request-Id), else one made once and kept. */
function requestIdOf(req: RequestWithExtras, ctx: AuditRequestContext | undefined): string {
  if (typeof req.id === 'string' && req.id !== '') return req.id;
  if (ctx?.requestId) return ctx.requestId;
  const own = req as RequestWithExtras & { [REQUEST_ID]?: string };
  own[REQUEST_ID] ??= requestIdFor(req);
  return own[REQUEST_ID];
}

function header(req: IncomingMessage | undefined, name: string): string {
  const value = req?.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function text(value: string, max: number): string {
  return storableText(value, max);
}
