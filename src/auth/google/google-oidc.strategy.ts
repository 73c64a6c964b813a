import { PassportStrategy } from '@nestjs/passport';
import { Passport } from 'passport';
import { Strategy as GoogleStrategy } from 'passport-google-oauth20';
import type { OidcEndpoints } from './oidc-discovery.service';
import type { LoginStateData, PgLoginStateStore } from './login-state.store';

/** What the strategy hands back: the raw ID token, verified afterwards against the stored nonce. */
export interface ProviderAnswer {
  idToken: unknown;
}

export interface GoogleOidcSettings {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  endpoints: OidcEndpoints;
  store: PgLoginStateStore;
}

/** Options given per request to `authenticate` (passport's usual second argument). */
export interface GoogleLoginOptions {
  state?: LoginStateData;
  nonce?: string;
  hd?: string;
  prompt?: string;
}

// The strategy registers itself with a passport instance when constructed. Each gateway gets its own
// strategy (endpoints come from its issuer), so it goes into a private instance, not passport's global one.
const isolatedPassport = new Passport();

/**
 * passport-google-oauth20 pointed at the discovered endpoints, with PKCE (S256) and our PostgreSQL state
 * store. It adds the OIDC `nonce` (which the Google strategy does not send). The user profile request is
 * skipped: identity comes from the ID token, which is verified with jose after the strategy succeeds.
 */
export class GoogleOidcStrategy extends PassportStrategy(GoogleStrategy, 'google-oidc', 5) {
  constructor(settings: GoogleOidcSettings) {
    super({
      clientID: settings.clientId,
      clientSecret: settings.clientSecret,
      callbackURL: settings.callbackUrl,
      authorizationURL: settings.endpoints.authorizationEndpoint,
      tokenURL: settings.endpoints.tokenEndpoint,
      userProfileURL: settings.endpoints.userinfoEndpoint,
      scope: ['openid', 'email', 'profile'],
      state: true,
      pkce: true,
      store: settings.store as never,
      skipUserProfile: true,
    });
  }

  validate(_accessToken: string, _refreshToken: string, params: { id_token?: unknown }): ProviderAnswer {
    return { idToken: params.id_token };
  }

  getPassportInstance(): InstanceType<typeof Passport> {
    return isolatedPassport;
  }

  override authorizationParams(options: GoogleLoginOptions): object {
    const params = super.authorizationParams(options) as Record<string, string>;
    if (options.nonce) params.nonce = options.nonce;
    return params;
  }
}

export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; answer: ProviderAnswer; state: LoginStateData }
  | { kind: 'fail'; message: string }
  | { kind: 'error'; error: unknown };

/**
 * Runs the strategy for one request without passport's middleware: a fresh object per request carries the
 * per-request actions, so concurrent logins never share them.
 */
export function runStrategy(
  strategy: GoogleOidcStrategy,
  req: object,
  options: GoogleLoginOptions,
): Promise<StrategyOutcome> {
  return new Promise((resolve) => {
    const attempt = Object.create(strategy) as GoogleOidcStrategy & Record<string, unknown>;
    attempt.redirect = (url: string) => resolve({ kind: 'redirect', url });
    attempt.success = (answer: ProviderAnswer, info: { state?: LoginStateData }) =>
      info?.state
        ? resolve({ kind: 'success', answer, state: info.state })
        : resolve({ kind: 'fail', message: 'invalid_state' });
    attempt.fail = (challenge: unknown) => resolve({ kind: 'fail', message: failureMessage(challenge) });
    attempt.error = (error: unknown) => resolve({ kind: 'error', error });
    attempt.pass = () => resolve({ kind: 'fail', message: 'nothing to do' });
    attempt.authenticate(req as never, options);
  });
}

function failureMessage(challenge: unknown): string {
  if (typeof challenge === 'string') return challenge;
  if (challenge && typeof challenge === 'object' && 'message' in challenge) {
    return String((challenge as { message: unknown }).message);
  }
  return 'failed';
}
