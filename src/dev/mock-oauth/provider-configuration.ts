import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { interactionPolicy, type Configuration } from 'oidc-provider';
import { renderLogoutConfirmation, renderMessagePage } from './interaction-pages';
import { findTestUserBySub, googleClaimsFor } from './test-users';

export interface MockOAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

/** Cookie names are fixed here because the server strips the session cookie before authorization requests. */
export const PROVIDER_COOKIE_NAMES = {
  session: '_session',
  interaction: '_interaction',
  resume: '_interaction_resume',
} as const;

/** Where oidc-provider sends the browser when it needs a person; interaction-routes.ts answers there. */
export const INTERACTION_PATH_PREFIX = '/interaction/';

/**
 * oidc-provider settings that make it behave like the parts of Google the gateway relies on: authorization
 * code flow only, PKCE (S256) required, secret sent in the body or a Basic header, RS256 ID tokens carrying
 * `email`, `email_verified`, `name` and (for Workspace accounts) `hd`. Keys and cookie secrets are made at
 * boot; nothing survives a restart, which is fine for a development and test server.
 */
export function buildProviderConfiguration(client: MockOAuthClient): Configuration {
  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, sub) {
      const testUser = findTestUserBySub(sub);
      if (!testUser) return undefined;
      return { accountId: testUser.sub, claims: () => ({ ...googleClaimsFor(testUser), sub: testUser.sub }) };
    },
    jwks: { keys: [generateSigningKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')], names: { ...PROVIDER_COOKIE_NAMES } },
    // Scope → claims. `hd` rides with `email` because Google sends it alongside the address.
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'hd'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    responseTypes: ['code'],
    // The provider accepts the registered secret either way; nothing else (no JWT assertions, no public clients).
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    // Google puts the scope's claims in the ID token itself; the OIDC default would leave them to userinfo.
    conformIdTokenClaims: false,
    allowOmittingSingleRegisteredRedirectUri: false,
    // Only S256 is implemented by oidc-provider, so "required" means "required and S256".
    pkce: { required: () => true },
    // The gateway exchanges codes server-side; no browser needs cross-origin access.
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 10 * 60,
      Session: 60 * 60,
      Grant: 60 * 60,
    },
    interactions: {
      policy: buildInteractionPolicy(),
      url: (_ctx, interaction) => interactionUrl(interaction.uid),
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = renderMessagePage('Sign-in failed', `${out.error}: ${out.error_description ?? ''}`.trim());
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: { host: string; body: unknown }, form: string) {
          ctx.body = renderLogoutConfirmation(ctx.host, form);
        },
        async postLogoutSuccessSource(ctx: { body: unknown }) {
          ctx.body = renderMessagePage('Signed out', 'You are signed out of the mock Google login.');
        },
      },
      // Google offers none of these; keeping them off keeps the discovery document honest.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
    },
  };
}

export function interactionUrl(uid: string): string {
  return `${INTERACTION_PATH_PREFIX}${encodeURIComponent(uid)}`;
}

/**
 * The default login + consent prompts, plus `select_account` so a client that sends Google's
 * `prompt=select_account` is accepted rather than refused as an unsupported prompt. The account picker is
 * shown on every authorization anyway (see mock-oauth-server.ts), so the extra prompt needs no checks.
 */
function buildInteractionPolicy(): interactionPolicy.Policy {
  const policy = interactionPolicy.base();
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }));
  return policy;
}

function generateSigningKey(): object {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
