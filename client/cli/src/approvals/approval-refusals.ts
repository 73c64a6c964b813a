import { httpFailureMessage } from '../http/gateway-errors';
import type { GatewayTarget } from '../resolve/rack-resolution';

/**
 * What the CLI adds to the gateway's own sentence for a deploy-approval refusal: the flag or credential
 * to change here. The gateway's message already says what is wrong (four-eyes, expiry, a token trying to
 * approve …), so it is printed as it is, never reworded as "permission denied".
 */
const CLI_HINTS: Record<string, (target: GatewayTarget) => string | undefined> = {
  approval_needs_a_person: (target) =>
    target.tokenSource === 'environment'
      ? 'RACK_GATEWAY_API_TOKEN is set: unset it and use your own login (rack-gateway login) to decide'
      : undefined,
  mfa_not_available_for_tokens: (target) =>
    target.tokenSource === 'environment'
      ? 'RACK_GATEWAY_API_TOKEN is set: unset it and use your own login (rack-gateway login) to decide'
      : undefined,
  target_token_required: () => 'pass --target-token-id <id> (rack-gateway api-token list shows your tokens)',
  token_requests_for_itself: () => 'leave out --target-token-id when requesting with an API token',
  target_token_not_owned: () => 'rack-gateway api-token list shows the tokens you own',
  approval_request_expired: () => 'run rack-gateway deploy-approval request again for a new one',
};

/** Every refusal code the approvals API answers with; their messages are shown verbatim. */
const APPROVAL_CODES = new Set([
  ...Object.keys(CLI_HINTS),
  'approval_request_not_found',
  'approvals_disabled',
  'token_not_approval_gated',
  'target_token_not_approval_gated',
  'target_token_not_found',
  'self_approval_refused',
  'approval_request_not_open',
  'approval_request_not_yours',
  'approval_audit_forbidden',
  'invalid_cursor',
]);

function parseRefusal(body: string): { error?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { error, message } = parsed as { error?: unknown; message?: unknown };
    return {
      error: typeof error === 'string' ? error : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  } catch {
    return {};
  }
}

export function approvalFailureMessage(status: number, body: string, target: GatewayTarget): string {
  const { error, message } = parseRefusal(body);
  if (!error || !APPROVAL_CODES.has(error)) return httpFailureMessage(status, body, target);
  const hint = CLI_HINTS[error]?.(target);
  const text = message ?? error;
  return hint ? `${text} (${hint})` : text;
}
