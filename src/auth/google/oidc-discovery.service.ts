import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

export interface OidcEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  jwks: JWTVerifyGetKey;
}

const DISCOVERY_TIMEOUT_MS = 10_000;

/**
 * The issuer's discovery document, fetched on the first login (not at boot, so a Google hiccup cannot stop
 * the gateway from starting) and cached. A failed fetch is not cached; the next login tries again.
 */
@Injectable()
export class OidcDiscoveryService {
  private pending?: Promise<OidcEndpoints>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  endpoints(): Promise<OidcEndpoints> {
    if (!this.pending) {
      this.pending = this.fetchEndpoints().catch((error: unknown) => {
        this.pending = undefined;
        throw error;
      });
    }
    return this.pending;
  }

  private async fetchEndpoints(): Promise<OidcEndpoints> {
    const issuer = this.config.google.issuer;
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`OIDC discovery at ${issuer} answered ${response.status}`);
    const document = (await response.json()) as Record<string, unknown>;
    // The ID token's `iss` is checked against this, so it must be the issuer we were configured with.
    if (typeof document.issuer !== 'string' || document.issuer.replace(/\/+$/, '') !== issuer) {
      throw new Error(`OIDC discovery at ${issuer} names a different issuer (${String(document.issuer)})`);
    }
    const url = (key: string): string => {
      const value = document[key];
      if (typeof value !== 'string') throw new Error(`OIDC discovery at ${issuer} lacks ${key}`);
      return value;
    };
    return {
      issuer: document.issuer,
      authorizationEndpoint: url('authorization_endpoint'),
      tokenEndpoint: url('token_endpoint'),
      userinfoEndpoint: url('userinfo_endpoint'),
      jwks: createRemoteJWKSet(new URL(url('jwks_uri'))),
    };
  }
}
