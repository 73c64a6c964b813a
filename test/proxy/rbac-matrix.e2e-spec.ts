import WebSocket from 'ws';
import { DESTRUCTIVE_ACTIONS_DISABLED, isDestructiveRoute } from '../../src/proxy/destructive-routes';
import { CONVOX_ROUTES, type ConvoxRoute } from '../../src/rbac/convox-routes';
import { mfaLevelFor } from '../../src/rbac/mfa-levels';
import { expandPatterns } from '../../src/rbac/permission-match';
import { permissionsForRoles } from '../../src/rbac/roles';
import { sampleRequests, type SampleRequest } from '../../src/rbac/testing/sample-route-path';
import { cliAuth, startProxyStack, type ProxyStack, type RoleName } from './proxy-stack';

/**
 * The route table × principals matrix, end to end: every route in src/rbac/convox-routes.ts is sent
 * through the real gateway by every role's token and by narrow tokens. Allowed means the mock rack saw
 * the request; denied means it did not and the client got 403 naming the permission. A destructive route
 * a principal may call is still refused, because `proxy.allow_destructive_actions` is off by default. A
 * route added to the table is covered here with no new test code.
 */
interface MatrixPrincipal {
  label: string;
  owner: RoleName;
  /** The token's permission list; undefined = everything the owner's role holds on the rack. */
  permissions?: string[];
}

const PRINCIPALS: MatrixPrincipal[] = [
  { label: 'viewer', owner: 'viewer' },
  { label: 'ops', owner: 'ops' },
  { label: 'deployer', owner: 'deployer' },
  { label: 'admin', owner: 'admin' },
  {
    label: 'deployer token limited to app:list + log:read',
    owner: 'deployer',
    permissions: ['convox:app:list', 'convox:log:read'],
  },
  { label: 'admin token limited to convox:release:*', owner: 'admin', permissions: ['convox:release:*'] },
];

const CASES = CONVOX_ROUTES.flatMap((route) => sampleRequests(route).map((request) => ({ route, request })));

function expectedAllowed(route: ConvoxRoute, principal: MatrixPrincipal): boolean {
  if (route.permission === null) return true;
  const held = expandPatterns(principal.permissions ?? permissionsForRoles([principal.owner]));
  return held.includes(route.permission);
}

interface Outcome {
  status: number;
  body: string;
}

async function send(stack: ProxyStack, token: string, request: SampleRequest): Promise<Outcome> {
  const url = `${stack.proxyUrl}${request.path}?`;
  if (!request.isWebsocket) {
    const res = await fetch(url, { method: request.method, headers: { Authorization: cliAuth(token) } });
    return { status: res.status, body: request.method === 'HEAD' ? '' : await res.text() };
  }
  // Refusals on websocket routes come in-band (101, `ERROR: <message>`, close 4000 + status); anything else
  // after the upgrade is the rack's stream, which reached the rack.
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: { Authorization: cliAuth(token) } });
    let text = '';
    const settle = (outcome: Outcome) => {
      ws.terminate();
      resolve(outcome);
    };
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary && text === '' && data.toString().startsWith('ERROR: ')) text = data.toString();
      else settle({ status: 101, body: '' });
    });
    ws.once('close', (code, reason) => {
      if (code >= 4400 && code <= 4599) {
        expect(text).toBe(`ERROR: ${reason.toString()}\n`);
        resolve({ status: code - 4000, body: JSON.stringify({ error: reason.toString() }) });
      } else resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => undefined);
    // A stream that stays quiet (a follow with nothing new) reached the rack: its request is recorded.
    setTimeout(() => settle({ status: 101, body: '' }), 1500).unref();
  });
}

describe('RBAC matrix through the gateway', () => {
  let stack: ProxyStack;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stack = await startProxyStack();
    for (const principal of PRINCIPALS) {
      tokens.set(
        principal.label,
        principal.permissions
          ? await stack.tokenWith(principal.owner, principal.permissions)
          : stack.tokens[principal.owner],
      );
    }
  });
  afterAll(() => stack?.close());

  it('covers every route in the table', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(CONVOX_ROUTES.length);
  });

  describe.each(PRINCIPALS.map((principal) => [principal.label, principal] as const))(
    'as %s',
    (_label, principal) => {
      it.each(
        CASES.map(
          ({ route, request }) =>
            [`${request.isWebsocket ? 'SOCKET' : request.method} ${route.pattern}`, route, request] as const,
        ),
      )('%s', async (_name, route, request) => {
        stack.rack.clearRequests();
        const outcome = await send(stack, tokens.get(principal.label)!, request);
        const reached = stack.rack.requests.some(
          (seen) => seen.path === request.path && seen.websocket === request.isWebsocket,
        );
        if (route.kind === 'probe') {
          expect(outcome.status).toBe(404);
          expect(reached).toBe(false);
        } else if (expectedAllowed(route, principal) && mfaLevelFor(route.permission) === 'always') {
          // Every principal here is an API token: tokens can never perform an `always` MFA action.
          expect(outcome.status).toBe(403);
          if (request.method !== 'HEAD') expect(outcome.body).toMatch(/mfa_not_available_for_tokens/);
          expect(reached).toBe(false);
        } else if (expectedAllowed(route, principal) && isDestructiveRoute(route)) {
          expect(outcome.status).toBe(403);
          expect(JSON.parse(outcome.body)).toEqual({ error: DESTRUCTIVE_ACTIONS_DISABLED });
          expect(reached).toBe(false);
        } else if (expectedAllowed(route, principal)) {
          expect(outcome.status).not.toBe(403);
          expect(reached).toBe(true);
        } else {
          expect(outcome.status).toBe(403);
          // HEAD answers carry no body; the status alone tells the client.
          if (request.method !== 'HEAD') {
            expect(JSON.parse(outcome.body)).toEqual({ error: `permission denied: ${route.permission}` });
          }
          expect(reached).toBe(false);
        }
      });
    },
  );
});
