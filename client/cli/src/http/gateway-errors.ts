import type { TokenSource } from '../resolve/rack-resolution';

interface FailureContext {
  rackName: string;
  tokenSource: TokenSource;
}

/**
 * The human text of an error body. The proxy answers `{"error":"permission denied: convox:env:set"}`,
 * the admin API `{"error":"<code>","message":"<text>"}`, and the rack itself may answer plain text.
 */
export function errorBodyText(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed === 'object' && parsed !== null) {
      const { message, error } = parsed as { message?: unknown; error?: unknown };
      if (typeof message === 'string' && message) return message;
      if (typeof error === 'string' && error) return error;
    }
  } catch {
    // not JSON: the text itself is the message
  }
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}

/** The `error` code of a gateway refusal body (`{"error": "...", "message": "..."}`), if it has one. */
export function errorBodyCode(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const error =
      typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    return typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}

/** An MFA refusal (`mfa_required`, `mfa_verification_failed` …, or `user_locked` after failed codes). */
function mfaRefusalCode(body: string): string | undefined {
  try {
    const { error } = JSON.parse(body) as { error?: unknown };
    if (typeof error !== 'string') return undefined;
    return /^(mfa_[a-z_]+|user_locked)\b/.exec(error)?.[1];
  } catch {
    return undefined;
  }
}

/** Maps a failed gateway answer to the sentence the user needs (issue item 6). */
export function httpFailureMessage(status: number, body: string, context: FailureContext): string {
  const text = errorBodyText(body);
  // The gateway's own words say exactly what to do (a code, --mfa-code, enrolment); never "log in again".
  if ((status === 401 || status === 403 || status === 429) && mfaRefusalCode(body))
    return text ?? 'MFA required';
  if (status === 401) {
    if (context.tokenSource === 'environment') {
      return `the gateway rejected RACK_GATEWAY_API_TOKEN${text ? ` (${text})` : ''}`;
    }
    return `session expired, run: rack-gateway login ${context.rackName}`;
  }
  if (status === 403) {
    if (!text) return 'permission denied';
    return /permission/i.test(text) ? text : `permission denied: ${text}`;
  }
  if (status >= 500) return `gateway error (HTTP ${status})${text ? `: ${text}` : ''}`;
  return text ?? `request failed with HTTP ${status}`;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
};

/** The most specific code (ECONNREFUSED…) and message in an error's cause chain. */
function innermostFailure(error: unknown): { code?: string; message?: string } {
  let code: string | undefined;
  let message: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string') code = candidate.code;
    if (typeof candidate.message === 'string' && candidate.message) message = candidate.message;
    current = candidate.cause ?? candidate.errors?.[0];
  }
  return { code, message };
}

/** A transport failure, always naming the gateway URL so a wrong URL is obvious. */
export function networkFailureMessage(gatewayUrl: string, error: unknown): string {
  const { code, message } = innermostFailure(error);
  const reason = (code && NETWORK_REASONS[code]) ?? message ?? code ?? String(error);
  return `cannot reach the gateway at ${gatewayUrl}: ${reason}`;
}
