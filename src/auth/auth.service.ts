import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isRackProxyPath } from '../access-control/rack-proxy-path';
import { AbilityFactory } from '../rbac/ability.factory';
import { isApiTokenString } from '../tokens/api-token-format';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AuthFailure } from '../access-control/auth-failure';
import { CredentialGate, PresentedKind } from './credential-gate/credential-gate.service';
import { hashSecret } from '../access-control/credential-secret';
import { CsrfService } from './csrf.service';
import {
  CredentialSource,
  MalformedCredentialError,
  parseAuthorizationHeader,
  PresentedCredential,
  readCookie,
  SESSION_COOKIE,
  splitInlineMfa,
} from '../access-control/credential-parser';
import type { Principal } from '../access-control/principal';
import { SessionsService } from '../sessions/sessions.service';

export interface AuthenticationInput {
  headers: IncomingHttpHeaders;
  /** Client IP as the transport saw it (trusted-proxy aware); used for rate limits and last-used records. */
  clientIp?: string;
  /** The raw request URL: the rack proxy accepts only the Authorization header. */
  url: string;
  /** For the audit event when a credential is refused. */
  request?: IncomingMessage;
}

export interface Authentication {
  principal: Principal;
  source: CredentialSource;
  /** An MFA code sent inline after the credential (`<token>.totp.<code>`); checked by the MFA guard. */
  mfaCode?: string;
}

/**
 * The one authentication path, asked by the access chain's authentication step for HTTP and websocket
 * upgrades alike. Header first (Bearer, or Basic with the credential as password), then the `rgw_session`
 * cookie. Every credential not already refused is looked up by its hash; credential and user rows are served
 * from memory between requests (CredentialCaches: a revocation, lock, delete or role change made by any
 * gateway process drops them within milliseconds, and nothing is cached while that could go unheard).
 * Refusals go through CredentialGate (per-address limits, audit summaries).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly tokens: ApiTokensService,
    private readonly users: UsersService,
    private readonly abilities: AbilityFactory,
    private readonly gate: CredentialGate,
    private readonly csrf: CsrfService,
  ) {}

  async authenticate(input: AuthenticationInput): Promise<Authentication> {
    const address = input.clientIp ?? 'unknown';
    let credential: PresentedCredential;
    try {
      credential = this.presentedCredential(input);
    } catch (error) {
      if (!(error instanceof AuthFailure)) throw error;
      throw await this.gate.refuse(error, address, input.request);
    }
    const isApiToken = isApiTokenString(credential.secret);
    const presented: PresentedKind = {
      credential: isApiToken ? 'api-token' : 'session',
      via: credential.source,
    };
    // Everything up to the lookup is answered from memory: a flood of bad credentials never reaches PostgreSQL.
    const hash = hashSecret(credential.secret);
    const known = this.gate.knownRejection(credential.secret, hash);
    if (known) throw await this.gate.refuse(known, address, input.request, presented);
    const release = await this.gate.admitLookup(address, hash, input.request);
    try {
      const principal = isApiToken
        ? await this.fromApiToken(credential.secret, input.clientIp)
        : await this.fromSession(credential.secret, input);
      // The web console's cookie reaches the rack proxy only with its CSRF token, on every method: another
      // site can make a browser send the cookie, never the header (nor a GET of env to read it back).
      if (credential.source === 'cookie' && principal.sessionId && isRackProxyPath(input.url)) {
        this.csrf.checkToken(input.headers, principal.sessionId);
      }
      this.gate.rememberValid(hash);
      return { principal, source: credential.source, mfaCode: credential.mfaCode };
    } catch (error) {
      if (!(error instanceof AuthFailure)) throw error;
      this.gate.rememberRejected(hash, error);
      throw await this.gate.refuse(error, address, input.request, presented);
    } finally {
      // Only now: a failed lookup from a blocked address keeps its turn through the refusal's pause, so such
      // an address causes about one failed lookup a second, however many guesses it sends.
      release();
    }
  }

  /** What a user's principal looks like right now (also used right after login for /me-style answers). */
  principalForUser(user: UserEntity, channel: 'web' | 'cli', sessionId?: string): Principal {
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      roles: [...user.roles],
      ...this.abilities.userGrants(user),
      channel,
      sessionId,
    };
  }

  private presentedCredential(input: AuthenticationInput): PresentedCredential {
    let header: PresentedCredential | undefined;
    try {
      const parsed = parseAuthorizationHeader(singleHeader(input.headers.authorization));
      header = parsed && splitInlineMfa(parsed);
    } catch (error) {
      if (error instanceof MalformedCredentialError) throw new AuthFailure(error.reason);
      throw error;
    }
    if (header) return header;
    if (isRackProxyPath(input.url) && !singleHeader(input.headers['x-csrf-token'])) {
      throw new AuthFailure('authorization_header_required');
    }
    const cookie = readCookie(singleHeader(input.headers.cookie), SESSION_COOKIE);
    if (!cookie) throw new AuthFailure('authentication_required');
    return { secret: cookie, source: 'cookie' };
  }

  private async fromSession(secret: string, input: AuthenticationInput): Promise<Principal> {
    const session = await this.sessions.validate(secret, {
      ip: input.clientIp,
      userAgent: singleHeader(input.headers['user-agent']),
    });
    const user = await this.users.findForAuthentication(session.userId);
    if (!user) throw new AuthFailure('invalid_credentials');
    if (user.lockedAt) throw new AuthFailure('user_locked', user.id);
    await this.users.touchLastSeen(user);
    return this.principalForUser(user, session.channel, session.id);
  }

  private async fromApiToken(secret: string, clientIp: string | undefined): Promise<Principal> {
    const token = await this.tokens.validate(secret, clientIp);
    const owner = await this.users.findForAuthentication(token.ownerId);
    if (!owner) throw new AuthFailure('invalid_credentials');
    // A locked owner disables every token at once (the original let them keep working).
    if (owner.lockedAt) throw new AuthFailure('user_locked', owner.id);
    return {
      kind: 'token',
      userId: owner.id,
      email: owner.email,
      name: owner.name,
      roles: [...owner.roles],
      ...this.abilities.tokenGrants(token.permissions, owner),
      channel: 'api-token',
      tokenId: token.id,
      tokenName: token.name,
    };
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
