import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestGateway, TestGateway } from '../harness/test-gateway';

const ROOT = join(__dirname, '..', '..');

describe('OpenAPI document', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ RACK_URL: 'http://127.0.0.1:9', RACK_TOKEN: 'unused' });
  });
  afterAll(() => gateway?.close());

  it('is served at /api/docs and lists the admin API', async () => {
    const page = await fetch(`${gateway.url}/api/docs`);
    expect(page.status).toBe(200);
    const document = (await (await fetch(`${gateway.url}/api/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/users',
        '/api/v1/api-tokens',
        '/api/v1/sessions',
        '/api/v1/me',
        '/api/v1/audit-events',
      ]),
    );
  });

  it('matches the committed docs/openapi.json (run `npm run docs:openapi` after an API change)', async () => {
    const served = await (await fetch(`${gateway.url}/api/docs-json`)).json();
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it("passes Redocly's recommended lint with zero errors (offline)", () => {
    const output = execFileSync(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'docs', 'lint-openapi.cli.js')],
      {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    expect(output).toMatch(/docs\/openapi\.json: 0 errors/);
  });

  it('is what the web client is typed from (run `npm run api:types -w client/web` after an API change)', () => {
    const generated = execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), join(ROOT, 'docs', 'openapi.json')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const committed = readFileSync(join(ROOT, 'client', 'web', 'src', 'api', 'openapi.d.ts'), 'utf8');
    expect(committed).toBe(generated);
  });
});
