import { ENV_MASK } from './env-mask';

/**
 * Credentials recognised by what a value looks like, whatever its key is called: `RABBITMQ_URL` carries a
 * password in its userinfo and `GITHUB_PAT` a GitHub token although neither name says "secret". Only the
 * credential part is replaced by the mask, so `amqp://app:<mask>@mq:5672` still tells an operator which
 * host an app talks to. A value without a credential shape is returned unchanged (the same string).
 */

/** Tokens whose prefix or structure names them; each match is replaced whole. */
const TOKEN_SHAPES: readonly RegExp[] = [
  // PEM private keys, also with `\n` written literally in a one-line env value; an unterminated block
  // (the value was cut) is masked to the end.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abposre]-[0-9A-Za-z-]{10,}/g, // Slack bot, user and app tokens
  /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z_]{10,}/g, // Stripe secret and restricted keys
  /\bwhsec_[0-9A-Za-z]{10,}/g, // Stripe webhook signing secrets
  /\bgh[pousr]_[0-9A-Za-z]{20,}/g, // GitHub classic tokens (personal, OAuth, user, server, refresh)
  /\bgithub_pat_[0-9A-Za-z_]{20,}/g, // GitHub fine-grained tokens
  /\bglpat-[0-9A-Za-z_-]{20,}/g, // GitLab personal access tokens
  /\bnpm_[0-9A-Za-z]{36}\b/g, // npm tokens
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bSG\.[\w-]{16,}\.[\w-]{16,}/g, // SendGrid keys
  /\bsk-(?:proj-|ant-)?[0-9A-Za-z_-]{20,}/g, // OpenAI and Anthropic keys
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, // JWTs (base64url of `{"...`, three dot-separated parts)
];

/**
 * `scheme://userinfo@host`: the authority ends at the first `/`, `?`, `#` or blank, and the userinfo at its
 * last `@` (passwords with a raw `@` are common). With `user:password` only the password is hidden; a lone
 * userinfo (`https://<key>@sentry.io/1`, `https://<token>@github.com/...`) is the credential itself.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;

/** Query parameters that carry a credential by name (`?password=`, SAS `sig=`, `access_token=`...). */
const CREDENTIAL_QUERY_PARAM =
  /([?&](?:password|passwd|pwd|secret|token|access_token|auth_token|api_key|apikey|sig|signature)=)[^&#\s]+/gi;

/** Slack incoming webhooks: the path after `/services/` is the secret. */
const SLACK_WEBHOOK = /(hooks\.slack\.com\/services\/)[0-9A-Za-z/]+/g;

function maskUserinfo(_match: string, scheme: string, userinfo: string): string {
  if (!userinfo || userinfo === ENV_MASK) return `${scheme}${userinfo}@`;
  const colon = userinfo.indexOf(':');
  if (colon < 0) return `${scheme}${ENV_MASK}@`;
  const password = userinfo.slice(colon + 1);
  // `user:@host` has no password to hide.
  if (!password || password === ENV_MASK) return `${scheme}${userinfo}@`;
  return `${scheme}${userinfo.slice(0, colon)}:${ENV_MASK}@`;
}

/** The value with every credential it recognisably holds replaced by the mask. */
export function maskSecretsInValue(value: string): string {
  let masked = value;
  for (const shape of TOKEN_SHAPES) masked = masked.replace(shape, ENV_MASK);
  masked = masked.replace(URL_USERINFO, maskUserinfo);
  masked = masked.replace(CREDENTIAL_QUERY_PARAM, (_match, name: string) => `${name}${ENV_MASK}`);
  return masked.replace(SLACK_WEBHOOK, (_match, prefix: string) => `${prefix}${ENV_MASK}`);
}

/** Whether a value holds something `maskSecretsInValue` would hide. */
export function holdsSecretShape(value: string): boolean {
  return maskSecretsInValue(value) !== value;
}
