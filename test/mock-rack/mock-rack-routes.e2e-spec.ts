import { gunzipSync } from 'node:zlib';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { basicAuth, rackRequest } from './rack-client';

type Row = {
  method: string;
  path: string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  status?: number;
  /** Keys the JSON object (or the first element of the JSON array) must carry. */
  keys?: string[];
  /** Exact body for non-JSON answers. */
  text?: string;
  check?: (body: string, headers: Record<string, string | string[] | undefined>) => void;
};

const APP = ['name', 'status', 'release', 'generation', 'locked', 'router', 'parameters'];
const PROCESS = ['id', 'app', 'name', 'status', 'release', 'started', 'command', 'ports', 'host', 'instance'];
const RELEASE = ['id', 'app', 'build', 'env', 'manifest', 'description', 'created'];
const BUILD = ['id', 'app', 'status', 'release', 'manifest', 'started', 'ended', 'description', 'repository'];
const SERVICE = ['name', 'count', 'cpu', 'memory', 'ports', 'domain'];
const RESOURCE = ['name', 'type', 'url'];
const METRIC = ['name', 'values'];

const ROWS: Row[] = [
  { method: 'GET', path: '/apps?', keys: APP },
  { method: 'GET', path: '/apps/myapp?', keys: APP },
  { method: 'GET', path: '/apps/myapp/diagnose?', keys: ['app', 'pods'] },
  { method: 'GET', path: '/apps/myapp/manifest/services/web?', keys: ['name', 'command'] },
  { method: 'GET', path: '/apps/myapp/metrics?', keys: METRIC },
  { method: 'GET', path: '/apps/api/metrics-by-service?', keys: ['name', 'metrics'] },
  { method: 'GET', path: '/apps/myapp/configs?', check: (body) => expect(JSON.parse(body)).toEqual([]) },
  {
    method: 'GET',
    path: '/apps/myapp/configs/cli-env-mask?',
    status: 404,
    text: 'app config not found: cli-env-mask\n',
  },
  { method: 'GET', path: '/apps/myapp/balancers?', keys: ['name', 'endpoint', 'service', 'ports'] },
  {
    method: 'GET',
    path: '/apps/myapp/budget?',
    check: (body) => expect(JSON.parse(body)).toEqual({ config: null, state: null }),
  },
  { method: 'GET', path: '/apps/api/budget?', keys: ['config', 'state'] },
  { method: 'GET', path: '/apps/myapp/budget/shutdown-state?', keys: ['app', 'active'] },
  { method: 'POST', path: '/apps/myapp/budget/simulate-shutdown?', keys: ['app', 'services'] },
  { method: 'GET', path: '/apps/myapp/cost?', keys: ['app', 'spend-usd', 'services'] },
  { method: 'GET', path: '/apps/myapp/builds?', keys: BUILD },
  { method: 'GET', path: '/apps/myapp/builds/BHXQLMVTZKA?', keys: BUILD },
  {
    method: 'GET',
    path: '/apps/myapp/builds/BHXQLMVTZKA.tgz?',
    check: (_body, headers) => expect(headers['content-type']).toBe('application/octet-stream'),
  },
  { method: 'GET', path: '/apps/myapp/releases?', keys: RELEASE },
  { method: 'GET', path: '/apps/myapp/releases/RKQPZMWTRNB?', keys: RELEASE },
  { method: 'GET', path: '/apps/myapp/processes?', keys: PROCESS },
  { method: 'GET', path: '/apps/myapp/services?', keys: SERVICE },
  { method: 'GET', path: '/apps/myapp/resources?', keys: RESOURCE },
  { method: 'GET', path: '/apps/myapp/resources/database?', keys: RESOURCE },
  {
    method: 'GET',
    path: '/apps/myapp/resources/database/data?',
    check: (body) => expect(body).toContain('INSERT INTO'),
  },
  {
    method: 'GET',
    path: '/apps/myapp/objects?',
    check: (body) => expect(Array.isArray(JSON.parse(body))).toBe(true),
  },
  { method: 'GET', path: '/resources?', keys: [...RESOURCE, 'status'] },
  { method: 'OPTIONS', path: '/resources?', keys: ['name', 'parameters'] },
  { method: 'GET', path: '/resources/shared-postgres?', keys: RESOURCE },
  { method: 'GET', path: '/certificates?', keys: ['id', 'domain', 'domains', 'expiration'] },
  { method: 'GET', path: '/letsencrypt/config?', keys: ['role', 'solvers'] },
  {
    method: 'GET',
    path: '/instances?',
    keys: ['id', 'status', 'started', 'processes', 'cpu-allocatable', 'private-ip'],
  },
  { method: 'POST', path: '/instances/keyroll?', keys: ['name', 'private-key'] },
  { method: 'GET', path: '/registries?', keys: ['server', 'username', 'password'] },
  {
    method: 'GET',
    path: '/system?',
    keys: ['name', 'provider', 'region', 'domain', 'status', 'version', 'rack-domain'],
    check: (body) => expect(JSON.parse(body).version).toBe('3.24.9'),
  },
  { method: 'GET', path: '/system/metrics?', keys: METRIC },
  { method: 'GET', path: '/system/processes?', keys: PROCESS },
  { method: 'GET', path: '/system/capacity?', keys: ['cluster-cpu', 'cluster-memory', 'process-count'] },
  { method: 'GET', path: '/system/releases?', status: 501, text: 'release history is unavailable\n' },
  { method: 'PUT', path: '/system?', form: { parameters: 'a%3D1' }, status: 501 },
  {
    method: 'POST',
    path: '/system/jwt/token?',
    form: { role: 'read', durationInHour: '2' },
    keys: ['token'],
  },
  { method: 'PUT', path: '/system/jwt/rotate?', text: 'ok\n' },
  { method: 'POST', path: '/system/karpenter/cleanup?', text: 'ok\n' },
  { method: 'POST', path: '/events?', form: { action: 'app.deploy' }, text: 'ok\n' },
  { method: 'POST', path: '/events?', status: 400, text: 'action is required\n' },
  { method: 'GET', path: '/auth?', text: 'ok\n' },
  {
    method: 'GET',
    path: '/v2/',
    check: (body, headers) => {
      expect(JSON.parse(body)).toEqual({});
      expect(headers['docker-distribution-api-version']).toBe('registry/2.0');
    },
  },
  {
    method: 'GET',
    path: '/custom/http/proxy/healthz',
    headers: { 'X-Host': 'web.myapp.svc.cluster.local', 'X-Port': '3000' },
    keys: ['upstream', 'method', 'path'],
  },
  { method: 'GET', path: '/custom/http/proxy/healthz', headers: { 'X-Host': 'example.com' }, status: 400 },
  { method: 'GET', path: '/apps/nope?', status: 404, text: 'app not found: nope\n' },
  { method: 'GET', path: '/racks?', status: 404, text: '' },
  { method: 'GET', path: '/machines?', status: 404, text: '' },
  { method: 'GET', path: '/kubernetes/api/v1/pods', status: 404, text: '' },
  // A websocket route asked for without an upgrade is simply not there.
  { method: 'GET', path: '/apps/myapp/logs?', status: 404, text: '' },
  { method: 'DELETE', path: '/apps?', status: 405, text: '' },
  { method: 'POST', path: '/system/capacity?', status: 405, text: '' },
  { method: 'GET', path: '//apps', status: 404, text: '' },
  { method: 'GET', path: '/apps/', status: 404, text: '' },
];

describe('mock rack routes', () => {
  let rack: MockRack;

  beforeAll(async () => {
    rack = await startMockRack({ port: 0, password: 'route-table-password' });
  });

  afterAll(() => rack.close());

  it.each(ROWS.map((row) => [`${row.method} ${row.path} ${row.form ? '(form)' : ''}`, row] as const))(
    'answers %s with the documented shape',
    async (_name, row) => {
      const response = await rackRequest(rack, row.method, row.path, {
        form: row.form,
        headers: row.headers,
      });
      expect(response.status).toBe(row.status ?? 200);
      if (row.keys) {
        expect(response.headers['content-type']).toBe('application/json');
        expect(response.text.endsWith('}\n') || response.text.endsWith(']\n')).toBe(true);
        expect(response.text).toMatch(/^[[{]\n {2}/);
        const parsed: unknown = JSON.parse(response.text);
        const sample = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown>;
        expect(sample).toBeDefined();
        for (const key of row.keys) expect(sample).toHaveProperty([key]);
      }
      if (row.text !== undefined) expect(response.text).toBe(row.text);
      if (row.status && row.status >= 400 && row.text) {
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      }
      row.check?.(response.text, response.headers);
    },
  );

  it('exports a build as a real gzip tar holding the build JSON', async () => {
    const response = await new Promise<Buffer>((resolve, reject) => {
      void fetch(`${rack.url}/apps/myapp/builds/BHXQLMVTZKA.tgz?`, {
        headers: { Authorization: basicAuth(rack.password) },
      })
        .then((r) => r.arrayBuffer())
        .then((b) => resolve(Buffer.from(b)), reject);
    });
    const tar = gunzipSync(response);
    expect(tar.subarray(0, 10).toString()).toBe('build.json');
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    expect(tar.toString()).toContain('"id": "BHXQLMVTZKA"');
  });

  it('treats a trailing ? like no query and stamps rack headers on matched routes', async () => {
    const withMark = await rackRequest(rack, 'GET', '/apps?');
    const without = await rackRequest(rack, 'GET', '/apps');
    expect(withMark.text).toBe(without.text);
    expect(withMark.headers['request-id']).toMatch(/^[0-9a-f]{12}$/);
    expect(withMark.headers['x-content-type-options']).toBe('nosniff');
    expect(withMark.headers['x-frame-options']).toBe('DENY');
  });

  it('answers errors as JSON when Accept lists application/json', async () => {
    const response = await rackRequest(rack, 'GET', '/apps/nope?', {
      headers: { Accept: 'text/html, application/json' },
    });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.text)).toEqual({ error: 'app not found: nope' });
  });

  it('matches registry servers containing : and / on the decoded path', async () => {
    const added = await rackRequest(rack, 'POST', '/registries?', {
      form: { server: 'registry.example.com:5000/team', username: 'u', password: 'p' },
    });
    expect(added.status).toBe(200);
    const removed = await rackRequest(rack, 'DELETE', '/registries/registry.example.com%3A5000/team?');
    expect(removed.text).toBe('ok\n');
    const again = await rackRequest(rack, 'DELETE', '/registries/registry.example.com:5000/team?');
    expect(again.status).toBe(404);
  });

  it('rejects invalid input with a 4xx and a reason', async () => {
    const cases: [string, string, Record<string, string>, number, RegExp][] = [
      ['POST', '/apps?', { name: 'Bad_Name' }, 400, /invalid app name/],
      ['POST', '/apps?', { name: 'myapp' }, 409, /app already exists/],
      ['PUT', '/apps/myapp/services/web?', { count: '-1' }, 400, /count must not be negative/],
      ['PUT', '/apps/myapp/services/web?', { count: 'lots' }, 400, /invalid integer for count/],
      ['POST', '/system/jwt/token?', { role: 'root' }, 400, /role must be one of/],
      ['POST', '/system/jwt/token?', { role: 'read', durationInHour: '9000' }, 400, /durationInHour/],
      ['POST', '/certificates?', { pub: 'nope', key: 'nope' }, 400, /invalid certificate/],
      ['POST', '/resources?', { kind: 'oracle' }, 400, /invalid resource type/],
      ['POST', '/apps/myapp/releases/RNOTHEREXXX/promote?', {}, 404, /release not found/],
      ['POST', '/apps/myapp/builds/BHXQLMVTZKA/image?', {}, 422, /image is required/],
    ];
    for (const [method, path, form, status, message] of cases) {
      const response = await rackRequest(rack, method, path, { form });
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(response.text).toMatch(message);
    }
  });
});
