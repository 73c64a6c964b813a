import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';
import { handleInteractionRequest } from './interaction-routes';
import {
  buildProviderConfiguration,
  PROVIDER_COOKIE_NAMES,
  type MockOAuthClient,
} from './provider-configuration';

export interface MockOAuthServerOptions {
  /** 0 asks the kernel for a free port. */
  port: number;
  /** Defaults to `http://127.0.0.1:<port>`; must have no path, since the provider's routes sit at the root. */
  issuer?: string;
  client: MockOAuthClient;
}

export interface RunningMockOAuthServer {
  issuer: string;
  port: number;
  close(): Promise<void>;
}

/** oidc-provider's authorization endpoint and its resume step (`/auth/<uid>`). */
const AUTHORIZATION_PATH = /^\/auth(\/|$)/;

/** Starts the mock Google login on 127.0.0.1 only. */
export async function startMockOAuthServer(options: MockOAuthServerOptions): Promise<RunningMockOAuthServer> {
  if (options.issuer !== undefined) assertIssuerHasNoPath(options.issuer);
  const server = createServer();
  await listen(server, options.port);
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuer ?? `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, buildProviderConfiguration(options.client));
  provider.on('server_error', (_ctx, error) => {
    process.stderr.write(`mock-oauth provider error: ${error.stack ?? error.message}\n`);
  });
  const providerCallback = provider.callback();

  server.on('request', (req, res) => {
    void (async () => {
      if (await handleInteractionRequest(provider, req, res)) return;
      if (AUTHORIZATION_PATH.test(new URL(req.url ?? '/', issuer).pathname)) forgetProviderSession(req);
      providerCallback(req, res);
    })();
  });

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The mock keeps no single sign-on. Hiding the provider's session cookie from the authorization endpoint means
 * every sign-in starts fresh and shows the picker (or honours login_hint), so a test can sign in as the admin
 * and then as a viewer from the same cookie jar; with a remembered session oidc-provider would either reuse
 * the first account or detour through a "sign out first?" page when the account changes. End-session still
 * sees the cookie.
 */
function forgetProviderSession(req: IncomingMessage): void {
  const cookieHeader = req.headers.cookie;
  if (!cookieHeader) return;
  const sessionCookie = PROVIDER_COOKIE_NAMES.session;
  const kept = cookieHeader
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => {
      const name = pair.split('=', 1)[0];
      return name !== sessionCookie && name !== `${sessionCookie}.sig`;
    });
  if (kept.length > 0) req.headers.cookie = kept.join('; ');
  else delete req.headers.cookie;
}

function assertIssuerHasNoPath(issuer: string): void {
  const url = new URL(issuer);
  if (url.pathname !== '/' || url.search || url.hash || issuer.endsWith('/')) {
    throw new Error(`MOCK_OAUTH_ISSUER must be an origin without a path or trailing slash, got ${issuer}`);
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
