import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** The discovery fields the tests use; the rest are checked as loose values. */
export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  [field: string]: unknown;
}

export interface TokenResponse {
  id_token?: string;
  access_token?: string;
  token_type?: string;
  error?: string;
  error_description?: string;
}

/** One authorization request and the secrets a relying party keeps for it. */
export interface LoginAttempt {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

export interface RelyingPartyClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The OAuth client side, done by hand the way the gateway does it: build the authorization URL with PKCE,
 * state and nonce, redeem the code, verify the ID token against the published keys.
 */
export class TestRelyingParty {
  private constructor(
    readonly discovery: Discovery,
    readonly client: RelyingPartyClient,
  ) {}

  static async discover(issuer: string, client: RelyingPartyClient): Promise<TestRelyingParty> {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    return new TestRelyingParty((await response.json()) as Discovery, client);
  }

  startLogin(extraParams: Record<string, string> = {}): LoginAttempt {
    const verifier = randomToken();
    const attempt = {
      verifier,
      state: randomToken(),
      nonce: randomToken(),
      url: new URL(this.discovery.authorization_endpoint),
    };
    const params = {
      client_id: this.client.clientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: this.client.redirectUri,
      state: attempt.state,
      nonce: attempt.nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extraParams,
    };
    for (const [name, value] of Object.entries(params)) attempt.url.searchParams.set(name, value);
    return attempt;
  }

  /** Redeems a code, sending the client secret in a Basic header or in the form body. */
  async redeemCode(
    code: string,
    verifier: string,
    auth: 'basic' | 'post' = 'basic',
  ): Promise<{ status: number; body: TokenResponse }> {
    const { clientId, clientSecret, redirectUri } = this.client;
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (auth === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const response = await fetch(this.discovery.token_endpoint, { method: 'POST', headers, body: form });
    return { status: response.status, body: (await response.json()) as TokenResponse };
  }

  /** Checks signature (against the JWKS), issuer, audience and expiry; returns the claims and the algorithm. */
  async verifyIdToken(idToken: string): Promise<{ claims: JWTPayload; alg: string }> {
    const jwks = createRemoteJWKSet(new URL(this.discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks, {
      issuer: this.discovery.issuer,
      audience: this.client.clientId,
    });
    return { claims: payload, alg: protectedHeader.alg };
  }
}
