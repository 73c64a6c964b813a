import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import type { CliGatewayStack } from './cli-gateway-stack';
import type { CliRunner } from './cli-runner';
import { startLoggedInCli } from './logged-in-cli';
import type { RackInspector } from './rack-inspector';

/**
 * Streams that end badly end the CLI badly: a refusal told in-band, a rack lost mid-stream and a revoked
 * login each print why on stderr and exit non-zero (never a silent exit 0).
 */
describe('rack-gateway CLI: streams that fail', () => {
  let stack: CliGatewayStack;
  let cli: CliRunner;
  let rack: RackInspector;

  beforeAll(async () => {
    ({ stack, cli, rack } = await startLoggedInCli('viewer@example.com'));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  /** Starts `logs -f` and resolves once lines are flowing. */
  async function followLogs(): Promise<{ child: ChildProcessWithoutNullStreams; done: Promise<Ended> }> {
    const child = cli.spawn(['logs', '-f', '-a', 'myapp', '--since', '1h']);
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const done = new Promise<Ended>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log lines: ${stderr}`)), 10_000);
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.split('\n').length > 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return { child, done };
  }

  /** The exit, or a failure when the CLI is still running after `ms` (the old behaviour: it never ends). */
  async function exitWithin(
    stream: { child: ChildProcessWithoutNullStreams; done: Promise<Ended> },
    ms = 3000,
  ) {
    const timer = setTimeout(() => stream.child.kill('SIGKILL'), ms);
    const ended = await stream.done;
    clearTimeout(timer);
    return ended;
  }

  it('exec as a viewer prints the missing permission and exits 1', async () => {
    const [web] = await rack.get<Array<{ id: string }>>('/apps/myapp/processes?service=web');
    const refused = await cli.run(['exec', web.id, 'sh', '-a', 'myapp']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('permission denied: convox:process:exec');
    expect(refused.stdout).toBe('');
  });

  it('logs -f exits 1 with "rack connection lost" when the rack dies mid-stream', async () => {
    const stream = await followLogs();
    expect(stack.rack.dropWebsockets()).toBe(1);
    const ended = await exitWithin(stream);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain('rack connection lost');
  });

  it('logs -f exits 1 with the reason when the login behind it is revoked', async () => {
    const stream = await followLogs();
    const app = stack.auth.gateway.app;
    const viewer = await app.get(UsersService).getByEmail('viewer@example.com');
    await app.get(SessionsService).revokeAllForUser(viewer.id, 'admin@example.com', 'revoked');
    const ended = await exitWithin(stream);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain('session revoked');
  });
});

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}
