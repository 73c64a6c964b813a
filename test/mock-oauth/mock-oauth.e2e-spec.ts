/**
 * The mock Google login, driven over HTTP the way the gateway and a browser use it.
 *
 * The server runs as a child process from dist/ (oidc-provider is an ES module Jest cannot load):
 * `npm test` builds first; when running this file alone, build with `npx tsc -p tsconfig.build.json`.
 */
import { spawnMockOAuth, type SpawnedMockOAuth } from '../../src/dev/mock-oauth/spawn';
import { expectPage, expectRedirect, OAuthBrowser } from './oauth-browser';
import { randomToken, TestRelyingParty, type Discovery, type TokenResponse } from './test-relying-party';

const CLIENT = {
  clientId: 'mock-oauth-test-client',
  clientSecret: 'mock-oauth-test-secret',
  redirectUri: 'http://127.0.0.1:9/api/v1/auth/web/callback',
};
const REDIRECT_URI = CLIENT.redirectUri;
const POST_LOGOUT_REDIRECT_URI = 'http://127.0.0.1:9/app/login';

let oauth: SpawnedMockOAuth;
let rp: TestRelyingParty;
let discovery: Discovery;

beforeAll(async () => {
  oauth = await spawnMockOAuth({
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUris: [CLIENT.redirectUri],
    postLogoutRedirectUris: [POST_LOGOUT_REDIRECT_URI],
  });
  rp = await TestRelyingParty.discover(oauth.issuer, CLIENT);
  discovery = rp.discovery;
});

afterAll(async () => {
  await oauth?.stop();
});

/** Reads the picker's form for one email: the action URL proves the page offers that user. */
function pickerFormAction(html: string, email: string): string {
  const forms = [
    ...html.matchAll(
      /<form method="post" action="([^"]+)">\s*<input type="hidden" name="email" value="([^"]+)">/g,
    ),
  ];
  const match = forms.find((form) => form[2] === email);
  if (!match) throw new Error(`the picker has no button for ${email}`);
  return match[1];
}

/** Signs in with login_hint, redeems the code (secret in the body) and returns the verified claims. */
async function signInWithHint(email: string, browser = new OAuthBrowser(REDIRECT_URI)) {
  const attempt = rp.startLogin({ login_hint: email });
  const callback = expectRedirect(await browser.get(attempt.url));
  expect(callback.searchParams.get('state')).toBe(attempt.state);
  const tokens = await rp.redeemCode(callback.searchParams.get('code') ?? '', attempt.verifier, 'post');
  expect(tokens.status).toBe(200);
  const { claims, alg } = await rp.verifyIdToken(tokens.body.id_token ?? '');
  expect(alg).toBe('RS256');
  expect(claims.nonce).toBe(attempt.nonce);
  return { claims, accessToken: tokens.body.access_token ?? '' };
}

describe('mock Google login (oidc-provider in a child process)', () => {
  it('publishes a discovery document for the code flow with PKCE and RS256', () => {
    expect(oauth.issuer).toBe(`http://127.0.0.1:${oauth.port}`);
    expect(discovery).toMatchObject({
      issuer: oauth.issuer,
      authorization_endpoint: `${oauth.issuer}/auth`,
      token_endpoint: `${oauth.issuer}/token`,
      userinfo_endpoint: `${oauth.issuer}/me`,
      jwks_uri: `${oauth.issuer}/jwks`,
      end_session_endpoint: `${oauth.issuer}/session/end`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(discovery.token_endpoint_auth_methods_supported).toEqual([
      'client_secret_basic',
      'client_secret_post',
    ]);
    expect(discovery.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'email', 'email_verified', 'name', 'hd']),
    );
  });

  it('signs in through the account picker form and issues a verified ID token (secret in a Basic header)', async () => {
    const browser = new OAuthBrowser(REDIRECT_URI);
    const attempt = rp.startLogin();
    const picker = expectPage(await browser.get(attempt.url), 200);
    expect(picker).toContain('Viewer User');
    const action = pickerFormAction(picker, 'viewer@example.com');

    const callback = expectRedirect(
      await browser.submitForm(new URL(action, oauth.issuer), { email: 'viewer@example.com' }),
    );
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(attempt.state);
    expect(callback.searchParams.get('iss')).toBe(oauth.issuer);

    const tokens = await rp.redeemCode(callback.searchParams.get('code') ?? '', attempt.verifier, 'basic');
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe('Bearer');
    const { claims, alg } = await rp.verifyIdToken(tokens.body.id_token ?? '');
    expect(alg).toBe('RS256');
    expect(claims).toMatchObject({
      email: 'viewer@example.com',
      email_verified: true,
      name: 'Viewer User',
      hd: 'example.com',
      nonce: attempt.nonce,
    });
    expect(typeof claims.sub).toBe('string');
  });

  it.each([
    ['admin@example.com', 'Admin User', true, 'example.com'],
    ['deployer@example.com', 'Deployer User', true, 'example.com'],
    ['ops@example.com', 'Ops User', true, 'example.com'],
    ['viewer@example.com', 'Viewer User', true, 'example.com'],
    ['unverified@example.com', 'Unverified User', false, 'example.com'],
    ['outsider@other.test', 'Outsider User', true, 'other.test'],
    ['personal@gmail.test', 'Personal User', true, undefined],
    ['newcomer@example.com', 'Newcomer User', true, 'example.com'],
  ])(
    'login_hint=%s skips the picker and yields name %s, email_verified %s, hd %s',
    async (email, name, verified, hd) => {
      const { claims } = await signInWithHint(email);
      expect(claims.email).toBe(email);
      expect(claims.name).toBe(name);
      expect(claims.email_verified).toBe(verified);
      if (hd === undefined) expect(claims).not.toHaveProperty('hd');
      else expect(claims.hd).toBe(hd);
    },
  );

  it('answers userinfo with the signed-in email for the access token', async () => {
    const { claims, accessToken } = await signInWithHint('ops@example.com');
    const response = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      sub: claims.sub,
      email: 'ops@example.com',
      email_verified: true,
    });

    const refused = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(refused.status).toBe(401);
  });

  it('keeps no single sign-on: the same cookie jar can sign in as one user and then another', async () => {
    const browser = new OAuthBrowser(REDIRECT_URI);
    expect((await signInWithHint('admin@example.com', browser)).claims.email).toBe('admin@example.com');
    expect((await signInWithHint('viewer@example.com', browser)).claims.email).toBe('viewer@example.com');
    const picker = expectPage(await browser.get(rp.startLogin().url), 200);
    expect(picker).toContain('Choose an account');
  });

  it('refuses a code redeemed with the wrong PKCE verifier, and a code used twice', async () => {
    const attempt = rp.startLogin({ login_hint: 'deployer@example.com' });
    const code =
      expectRedirect(await new OAuthBrowser(REDIRECT_URI).get(attempt.url)).searchParams.get('code') ?? '';

    const wrong = await rp.redeemCode(code, randomToken());
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');

    const attempt2 = rp.startLogin({ login_hint: 'deployer@example.com' });
    const code2 =
      expectRedirect(await new OAuthBrowser(REDIRECT_URI).get(attempt2.url)).searchParams.get('code') ?? '';
    expect((await rp.redeemCode(code2, attempt2.verifier)).status).toBe(200);
    const replay = await rp.redeemCode(code2, attempt2.verifier);
    expect(replay.body.error).toBe('invalid_grant');
  });

  it('requires a PKCE challenge on the authorization request', async () => {
    const attempt = rp.startLogin({ login_hint: 'admin@example.com' });
    attempt.url.searchParams.delete('code_challenge');
    attempt.url.searchParams.delete('code_challenge_method');
    const callback = expectRedirect(await new OAuthBrowser(REDIRECT_URI).get(attempt.url));
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('refuses an unknown client at the authorization endpoint and a wrong secret at the token endpoint', async () => {
    const attempt = rp.startLogin({ client_id: 'someone-else' });
    const page = expectPage(await new OAuthBrowser(REDIRECT_URI).get(attempt.url), 400);
    expect(page).toContain('invalid_client');

    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'whatever',
        redirect_uri: REDIRECT_URI,
        code_verifier: randomToken(),
        client_id: CLIENT.clientId,
        client_secret: 'wrong-secret',
      }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as TokenResponse).error).toBe('invalid_client');
  });

  it('refuses a redirect_uri the client did not register, without redirecting to it', async () => {
    const attempt = rp.startLogin({ redirect_uri: 'http://127.0.0.1:9/elsewhere' });
    const page = expectPage(await new OAuthBrowser('http://127.0.0.1:9/').get(attempt.url), 400);
    expect(page).toContain('redirect_uri');
  });

  it('shows a 400 page for an email that is not a test user, by form or by login_hint', async () => {
    const browser = new OAuthBrowser(REDIRECT_URI);
    const picker = expectPage(await browser.get(rp.startLogin().url), 200);
    const action = pickerFormAction(picker, 'admin@example.com');
    const byForm = expectPage(
      await browser.submitForm(new URL(action, oauth.issuer), { email: 'stranger@example.com' }),
      400,
    );
    expect(byForm).toContain('stranger@example.com');

    const byHint = expectPage(await browser.get(rp.startLogin({ login_hint: '<b>x@y</b>' }).url), 400);
    expect(byHint).toContain('&lt;b&gt;x@y&lt;/b&gt;');
    expect(byHint).not.toContain('<b>x@y</b>');
  });

  it('sends the user back with access_denied when they press Cancel', async () => {
    const browser = new OAuthBrowser(REDIRECT_URI);
    const attempt = rp.startLogin();
    const picker = expectPage(await browser.get(attempt.url), 200);
    const cancelAction = /<form method="post" action="([^"]+\/abort)">/.exec(picker)?.[1] ?? '';
    const callback = expectRedirect(await browser.submitForm(new URL(cancelAction, oauth.issuer), {}));
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(attempt.state);
  });

  it('accepts prompt=select_account as Google does', async () => {
    const attempt = rp.startLogin({ prompt: 'select_account', login_hint: 'ops@example.com' });
    const callback = expectRedirect(await new OAuthBrowser(REDIRECT_URI).get(attempt.url));
    expect(callback.searchParams.has('code')).toBe(true);
  });

  it('ends the session and returns to a registered post-logout URI', async () => {
    const browser = new OAuthBrowser(POST_LOGOUT_REDIRECT_URI);
    const endSession = new URL(discovery.end_session_endpoint);
    endSession.searchParams.set('client_id', CLIENT.clientId);
    endSession.searchParams.set('post_logout_redirect_uri', POST_LOGOUT_REDIRECT_URI);
    endSession.searchParams.set('state', 'bye');
    const confirmation = expectPage(await browser.get(endSession), 200);
    const formAction = /<form[^>]*action="([^"]+)"/.exec(confirmation)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmation)?.[1] ?? '';
    const back = expectRedirect(
      await browser.submitForm(new URL(formAction, oauth.issuer), { xsrf, logout: 'yes' }),
    );
    expect(back.origin + back.pathname).toBe(POST_LOGOUT_REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe('bye');
  });
});

describe('spawnMockOAuth', () => {
  it('rejects with the child stderr when the server cannot start', async () => {
    await expect(
      spawnMockOAuth({
        port: 70000,
        clientId: 'c',
        clientSecret: 's',
        redirectUris: ['http://127.0.0.1:9/cb'],
      }),
    ).rejects.toThrow(/MOCK_OAUTH_PORT must be a port number/);
  });
});
