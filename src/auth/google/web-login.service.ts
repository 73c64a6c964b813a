import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UserEntity } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { apiError } from '../../access-control/api-error';
import { generateSecret } from '../../access-control/credential-secret';
import { safeReturnTo } from '../return-to';
import { GoogleOidcStrategy, runStrategy } from './google-oidc.strategy';
import { LoginRefused, verifyIdToken } from './id-token-verifier';
import { LoginStateEntity } from './login-state.entity';
import { PgLoginStateStore } from './login-state.store';
import { OidcDiscoveryService } from './oidc-discovery.service';

export const WEB_CALLBACK_PATH = '/api/v1/auth/web/callback';

export interface CompletedLogin {
  user: UserEntity;
  returnTo: string;
}

/** The browser leg of every login (web, and the browser half of CLI login): Google OIDC with PKCE. */
@Injectable()
export class WebLoginService {
  private strategy?: Promise<GoogleOidcStrategy>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: OidcDiscoveryService,
    @InjectRepository(LoginStateEntity) private readonly states: Repository<LoginStateEntity>,
    private readonly users: UsersService,
  ) {}

  /** The provider URL to send the browser to; the state, verifier and nonce are stored for the callback. */
  async authorizationUrl(req: Request, returnTo: unknown): Promise<string> {
    const nonce = generateSecret();
    const outcome = await runStrategy(await this.getStrategy(), req, {
      state: { nonce, returnTo: safeReturnTo(returnTo) },
      nonce,
      prompt: 'select_account',
      ...(this.config.google.allowedDomain ? { hd: this.config.google.allowedDomain } : {}),
    });
    if (outcome.kind === 'redirect') return outcome.url;
    throw outcome.kind === 'error' ? outcome.error : new Error(`login start failed: ${outcome.kind}`);
  }

  /**
   * Finishes the callback: one-time state → code exchange with the PKCE verifier → ID token checks →
   * a known, unlocked user. Throws LoginRefused with the reason otherwise.
   */
  async complete(req: Request): Promise<CompletedLogin> {
    const outcome = await runStrategy(await this.getStrategy(), req, {});
    if (outcome.kind === 'fail') {
      throw new LoginRefused(outcome.message === 'invalid_state' ? 'invalid_state' : 'provider_error');
    }
    if (outcome.kind === 'error') throw new LoginRefused('provider_error');
    if (outcome.kind !== 'success') throw new LoginRefused('provider_error');
    const endpoints = await this.discovery.endpoints();
    const identity = await verifyIdToken(outcome.answer.idToken, {
      issuer: endpoints.issuer,
      clientId: this.config.google.clientId ?? '',
      nonce: outcome.state.nonce,
      jwks: endpoints.jwks,
      allowedDomain: this.config.google.allowedDomain,
    });
    const user = await this.users.findByEmail(identity.email);
    if (!user) throw new LoginRefused('unknown_user', identity.email);
    if (user.lockedAt) throw new LoginRefused('user_locked', identity.email);
    // Fill in the display name the first time; an admin's later rename is kept.
    if (!user.name && identity.name)
      user.name = (await this.users.update(user.email, { name: identity.name })).name;
    return { user, returnTo: outcome.state.returnTo };
  }

  private getStrategy(): Promise<GoogleOidcStrategy> {
    const { clientId, clientSecret } = this.config.google;
    if (!clientId || !clientSecret) {
      throw apiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'login_not_configured',
        'Google login is not configured (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET)',
      );
    }
    if (!this.strategy) {
      this.strategy = this.discovery.endpoints().then(
        (endpoints) =>
          new GoogleOidcStrategy({
            clientId,
            clientSecret,
            callbackUrl: `${this.config.http.publicUrl}${WEB_CALLBACK_PATH}`,
            endpoints,
            store: new PgLoginStateStore(this.states),
          }),
        (error: unknown) => {
          this.strategy = undefined;
          throw apiError(
            HttpStatus.SERVICE_UNAVAILABLE,
            'login_unavailable',
            `the identity provider cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      );
    }
    return this.strategy;
  }
}
