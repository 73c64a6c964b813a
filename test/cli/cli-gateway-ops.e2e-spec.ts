import { ENV_MASK } from '../../src/proxy/env/env-mask';
import type { CliGatewayStack } from './cli-gateway-stack';
import type { CliRunner } from './cli-runner';
import { startLoggedInCli } from './logged-in-cli';

/**
 * The CLI as an ops user: the role "views environments" (docs/RBAC.md), so `env` works, with secret values
 * and credentials inside values masked; numbers in tables print as a person reads them.
 */
describe('rack-gateway CLI as ops', () => {
  let stack: CliGatewayStack;
  let cli: CliRunner;

  beforeAll(async () => {
    ({ stack, cli } = await startLoggedInCli('ops@example.com'));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('prints the env with secret keys and credentials inside values masked', async () => {
    const env = await cli.ok(['env', '-a', 'worker-app']);
    expect(env.stdout).toContain(`RABBITMQ_URL=amqp://guest:${ENV_MASK}@rabbitmq.internal:5672\n`);
    expect(env.stdout).toContain(`SENTRY_DSN=https://${ENV_MASK}@o1.ingest.sentry.io/42\n`);
    expect(env.stdout).toContain(`GITHUB_PAT=${ENV_MASK}\n`);
    expect(env.stdout).toContain('DOCS_URL=https://docs.example.com/worker\n');
    expect(env.stdout).not.toMatch(/mock-amqp-pass|ghp_MockRack|0123456789abcdef/);
    const myapp = await cli.ok(['env', '-a', 'myapp']);
    expect(myapp.stdout).toContain(`DATABASE_URL=${ENV_MASK}\n`);
    expect(myapp.stdout).toContain('NODE_ENV=production\n');
  });

  it('shows resource URLs without their passwords', async () => {
    const resources = await cli.ok(['resources', '-a', 'worker-app']);
    expect(resources.stdout).toMatch(
      new RegExp(`^jobs-db\\s+postgres\\s+postgres://jobs:\\*{20}@jobs-db:5432/jobs$`, 'm'),
    );
    expect(resources.stdout).not.toContain('jobs-db-mock-5c2a');
  });

  it('cannot change the env and is told which permission it lacks', async () => {
    const set = await cli.run(['env', 'set', 'FEATURE=on', '-a', 'worker-app']);
    expect(set.code).not.toBe(0);
    expect(set.stderr).toContain('permission denied: convox:release:create');
  });

  it('prints instance CPU and memory rounded, never as raw floats', async () => {
    const instances = await cli.ok(['instances']);
    // The mock rack's third instance uses 0.9 + 2 * 0.2 CPUs and 3.1 + 2 * 0.4 GB: 1.3000000000000003 and
    // 3.9000000000000004 as floats.
    expect(instances.stdout).toMatch(
      /^ip-10-0-3-91\.ec2\.internal\s+running\s+.+\s4\s+1\.3\/1\.93\s+3\.9\/6\.9(\s|$)/m,
    );
    expect(instances.stdout).not.toMatch(/\d\.\d{3,}/);
  });
});
