import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi';
import type { MfaCredential } from '../mfa/mfa-prompt';
import { mfaRequirementOf, retryAfterMfa, withMfaCredential } from '../mfa/mfa-retry';

export type Schemas = components['schemas'];
export type Me = Schemas['MeDto'];
export type User = Schemas['UserViewDto'];
export type ApiToken = Schemas['ApiTokenViewDto'];
export type Session = Schemas['SessionViewDto'];
export type AuditEvent = Schemas['AuditEventViewDto'];

/** The `{error, message}` body every admin API refusal carries. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The readable double-submit cookie the gateway sets at sign-in; echoed as X-CSRF-Token. */
export function csrfToken(): string {
  const match = document.cookie.split('; ').find((part) => part.startsWith('rgw_csrf='));
  return match ? decodeURIComponent(match.slice('rgw_csrf='.length)) : '';
}

/** Where the sign-in page sends the browser, coming back to the page the person was on. */
export function signInUrl(returnTo: string): string {
  return `/api/v1/auth/web/login?returnTo=${encodeURIComponent(returnTo)}`;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken());
    return request;
  },
};

/** Each request as sent (CSRF header included), kept until its answer, so an MFA refusal can be retried. */
const sent = new Map<string, Request>();

const mfaRetry: Middleware = {
  onRequest({ request, id }) {
    sent.set(id, request.clone());
    return request;
  },
  onResponse({ response, id }) {
    const template = sent.get(id);
    sent.delete(id);
    if (!template || !mfaRequirementOf(response)) return response;
    return retryAfterMfa(response, (credential) => {
      const again = template.clone();
      withMfaCredential(again.headers, credential);
      return fetch(again);
    });
  },
  onError({ id }) {
    sent.delete(id);
  },
};

export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });
api.use(csrf, mfaRetry);

/** Unwraps an openapi-fetch answer: the data, or an ApiError with the server's reason. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: string; message?: string };
  throw new ApiError(response.status, body.error ?? 'http_error', body.message ?? response.statusText);
}

/** Rack proxy calls are not in the admin API's document: the Convox API's own JSON, passed through. */
export async function rack<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  // The proxy takes the session cookie only with this header, on reads too (no cross-site GET of env).
  headers.set('X-CSRF-Token', csrfToken());
  const send = (credential?: MfaCredential) => {
    const withCredential = withMfaCredential(new Headers(headers), credential);
    return fetch(`/api/v1/rack-proxy${path}`, {
      ...init,
      headers: withCredential,
      credentials: 'same-origin',
    });
  };
  let response = await send();
  if (mfaRequirementOf(response)) response = await retryAfterMfa(response, send);
  const text = await response.text();
  // Reads answer JSON; a change the rack accepted may answer plain `ok`.
  const json = response.headers.get('content-type')?.includes('json');
  const body = text && json ? (JSON.parse(text) as unknown) : text || undefined;
  if (!response.ok) {
    const reason =
      (typeof body === 'string' ? body.trim() : (body as { error?: string } | undefined)?.error) ||
      response.statusText;
    // The proxy's refusals are `{error}` only; an MFA one is named by its header.
    throw new ApiError(response.status, mfaRequirementOf(response) ? 'mfa_required' : 'rack_error', reason);
  }
  return body as T;
}
