import { randomBytes } from 'node:crypto';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { spawnMockOAuth, type SpawnedMockOAuth } from '../../src/dev/mock-oauth/spawn';
import { CALLBACK_PATH, CLIENT_ID, CLIENT_SECRET, pickAccount } from '../auth/auth-fixture';
import { CookieJarClient } from '../harness/cookie-jar-client';
import { freePort } from '../harness/free-port';
import { startServers, type StartedServers } from '../harness/started-servers';
import { createTestCertificates, type TestCertificates } from '../harness/test-certificates';
import { createTestDatabase } from '../harness/test-database';
import { cliAuth, RACK_PASSWORD } from '../proxy/proxy-stack';
import { readDeployGuide, type GuideVariable } from './deploy-guide';
import { runOperatorCommand, startProductionProcess, type ProductionProcess } from './production-process';
import { fetchTrusting, startTlsRouter, type TlsRouter } from './tls-router';

const guide = readDeployGuide();
const ADMIN = 'admin@example.com';
const REPLICAS = 2;

/**
 * docs/DEPLOY.md followed on one machine: the built entry point in production mode, two replicas behind a
 * TLS-terminating router stand-in, a real PostgreSQL database, the mock rack as the remote rack and the mock
 * Google login as Google. Every variable comes from the guide's table: literal values as written, and a
 * stand-in for each address, secret and account the guide leaves to the operator.
 */
describe('production boot with exactly the variables of docs/DEPLOY.md', () => {
  let servers: StartedServers;
  let certificates: TestCertificates;
  let rack: MockRack;
  let oauth: SpawnedMockOAuth;
  let router: TlsRouter;
  let replicas: ProductionProcess[];
  let environments: Record<string, string>[];
  let httpsFetch: typeof fetch;

  beforeAll(async () => {
    await startServers(async (started) => {
      servers = started;
      certificates = started.own(await createTestCertificates(), (made) => made.remove());
      httpsFetch = fetchTrusting(certificates.ca.cert);
      const ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
      router = started.own(await startTlsRouter(certificates.server, ports), (stand) => stand.close());
      rack = started.own(await startMockRack({ port: 0, password: RACK_PASSWORD }), (mock) => mock.close());
      oauth = started.own(
        await spawnMockOAuth({
          port: 0,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${router.url}${CALLBACK_PATH}`],
        }),
        (mock) => mock.stop(),
      );
      const standIns: Record<string, string> = {
        HOST: '127.0.0.1', // tests listen on loopback only; the image listens on every interface
        DATABASE_URL: await createTestDatabase(),
        PUBLIC_URL: router.url,
        RACK_URL: rack.url,
        RACK_TOKEN: RACK_PASSWORD,
        GOOGLE_ISSUER: oauth.issuer,
        GOOGLE_CLIENT_ID: CLIENT_ID,
        GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        AUDIT_HMAC_SECRET: randomBytes(32).toString('hex'),
        MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        ADMIN_USERS: ADMIN, // the mock Google login's admin account
      };
      environments = ports.map((port) =>
        environmentFrom(guide.variables, { ...standIns, PORT: String(port) }),
      );
      // Both at once, like a deploy of two processes against a fresh database: migrations take turns.
      replicas = await Promise.all(
        environments.map(async (env) =>
          started.own(await startProductionProcess(env), (replica) => replica.stop()),
        ),
      );
    });
  });
  afterAll(() => servers?.closeAll());

  it('keeps the guide, its convox.yml and the Dockerfile in agreement', () => {
    const names = guide.variables.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    const fromImage = guide.variables.filter((v) => v.setBy === 'image');
    expect(Object.fromEntries(fromImage.map((v) => [v.name, v.value]))).toEqual(guide.imageEnvironment);
    // What reaches the process: the image's ENV, the linked resource's URL and convox.yml's environment list.
    expect(
      [...fromImage.map((v) => v.name), 'DATABASE_URL', ...guide.convoxEnvironment.map((e) => e.name)].sort(),
    ).toEqual([...names].sort());
    for (const entry of guide.convoxEnvironment.filter((e) => e.value !== undefined)) {
      expect(guide.variables.find((v) => v.name === entry.name)).toMatchObject({
        value: entry.value,
        setBy: 'convox.yml',
      });
    }
    const port = guide.variables.find((v) => v.name === 'PORT')?.value;
    expect(guide.convoxYml).toContain(`\n    port: ${port}\n`);
    expect(guide.convoxYml).toMatch(/\n {4}scale:\n {6}count: 2\n/);
    expect(guide.convoxYml).toMatch(/\n {4}health:\n {6}path: \/healthz\n/);
    expect(guide.convoxYml).toMatch(/\n {4}resources:\n {6}- database\n/);
  });

  it('boots two replicas from the built entry point with exactly those variables', async () => {
    expect(replicas).toHaveLength(REPLICAS);
    for (const env of environments)
      expect(Object.keys(env).sort()).toEqual(guide.variables.map((v) => v.name).sort());
    for (const replica of replicas) {
      // The rack probes the process address directly, with that address as Host.
      const probe = await fetch(`http://127.0.0.1:${replica.port}/healthz`, {
        headers: { host: `10.1.2.3:${replica.port}` },
      });
      expect(probe.status).toBe(200);
    }
    // Any other request must name the public host: the router passes the one the client used.
    const direct = await fetch(`http://127.0.0.1:${replicas[0].port}/api/v1/me`);
    expect(direct.status).toBe(400);
  });

  /** An API token of the admin, made the way the guide makes one: its operator command, same environment. */
  async function operatorToken(): Promise<string> {
    const args = guide.createTokenCommand.map((arg) => (arg.includes('@') ? ADMIN : arg));
    const token = (await runOperatorCommand(args, environments[0])).trim();
    expect(token).toMatch(/^\S{20,}$/);
    return token;
  }

  it("proxies a call made with a token from the guide's operator command, and audits the real client", async () => {
    const token = await operatorToken();
    const answer = await httpsFetch(`${router.url}/api/v1/rack-proxy/apps`, {
      headers: { authorization: cliAuth(token), 'x-forwarded-for': '198.51.100.66' },
    });
    expect(answer.status).toBe(200);
    expect(Array.isArray(await answer.json())).toBe(true);
    const atRack = rack.requests.filter((r) => r.path === '/apps');
    expect(atRack.length).toBeGreaterThan(0);
    expect(atRack.at(-1)?.headers.authorization).toBe(cliAuth(RACK_PASSWORD));

    // TRUST_PROXY_HOPS=1: the address the router saw is audited, not what the client claimed before it.
    const line = await auditLineOf(answer.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({
      action: 'convox:app:list',
      rbac_decision: 'allow',
      user_email: ADMIN,
      client_ip: '127.0.0.1',
    });
  });

  it("writes a refused call as the stdout line the guide's alert filters on", async () => {
    const token = await operatorToken();
    const denied = await httpsFetch(`${router.url}/api/v1/rack-proxy/not/a/convox/route`, {
      headers: { authorization: cliAuth(token) },
    });
    expect(denied.status).toBe(403);
    // The guide's filters: `{ $.rbac_decision = "deny" }`, `jq 'select(.rbac_decision == "deny")'`.
    const line = await auditLineOf(denied.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({ rbac_decision: 'deny', result: 'denied', user_email: ADMIN });
    expect(line).toHaveProperty('event_id');
  });

  it('logs in through the Google stand-in behind the TLS router, with Secure cookies', async () => {
    const setCookies: string[] = [];
    const browser = new CookieJarClient(async (input, init) => {
      const response = await httpsFetch(input, init);
      if (String(input).startsWith(router.url)) setCookies.push(...response.headers.getSetCookie());
      return response;
    });
    const picker = await browser.get(`${router.url}/api/v1/auth/web/login?returnTo=/api/v1/me`);
    const landed = await pickAccount(browser, picker, ADMIN);
    expect(landed.url.href).toBe(`${router.url}/api/v1/me`);
    expect(landed.status).toBe(200);
    expect(JSON.parse(landed.body)).toMatchObject({ email: ADMIN });
    const sessionCookies = setCookies.filter((c) => /^rgw_/.test(c));
    expect(sessionCookies.length).toBeGreaterThan(0);
    for (const cookie of sessionCookies) expect(cookie).toMatch(/;\s*Secure/i);
    // The login's steps were spread over both processes: everything they share is in PostgreSQL.
    for (const count of router.served.values()) expect(count).toBeGreaterThan(0);
  });

  /** The stdout audit line of a request, from whichever replica answered it. */
  async function auditLineOf(requestId: string): Promise<Record<string, unknown>> {
    expect(requestId).not.toBe('');
    const deadline = Date.now() + 5000;
    for (;;) {
      for (const replica of replicas) {
        for (const text of replica.stdout) {
          if (!text.includes(requestId) || !text.includes('"rbac_decision"')) continue;
          const line = JSON.parse(text) as Record<string, unknown>;
          if (line.request_id === requestId) return line;
        }
      }
      if (Date.now() > deadline) throw new Error(`no audit line on stdout for request ${requestId}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});

/** The guide's literal values, with a stand-in wherever the guide has a placeholder (or an address). */
function environmentFrom(
  variables: GuideVariable[],
  standIns: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    variables.map((variable) => {
      if (variable.name in standIns) return [variable.name, standIns[variable.name]];
      if (/[<>…]/.test(variable.value)) {
        throw new Error(
          `docs/DEPLOY.md gives ${variable.name} no literal value and the test has no stand-in`,
        );
      }
      return [variable.name, variable.value];
    }),
  );
}
