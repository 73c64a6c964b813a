import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentTotpCode } from '../../src/mfa/factors/totp';
import { nextCommit, startApprovalsStack, type ApprovalsStack } from '../approvals/approvals-fixture';
import { awayFromStepBoundary } from '../mfa/mfa-stack';
import { runOnTerminal } from './cli-on-terminal';
import { buildBinaries } from '../harness/built-binaries';
import { CliRunner } from './cli-runner';

/** `rack-gateway deploy-approval …` against a real gateway: every command, its exit codes and the refusals. */
describe('rack-gateway deploy-approval (real gateway, PostgreSQL, mock rack)', () => {
  let env: ApprovalsStack;
  let root: string;
  let admin: CliRunner;
  let deployer: CliRunner;
  let totpSecret: string;
  /** What a CI job has: the cicd token (owned by deployer@) and the gateway URL, no config file. */
  let ciEnv: Record<string, string>;

  const cliAs = (name: string, session: string) => {
    const cli = new CliRunner(join(root, name));
    mkdirSync(cli.configDir, { recursive: true });
    writeFileSync(
      join(cli.configDir, 'config.json'),
      JSON.stringify({ current: 'dev', racks: { dev: { url: env.stack.gateway.url, token: session } } }),
    );
    return cli;
  };
  const freshCode = async () => {
    await env.db.query('UPDATE mfa_methods SET last_used_step = NULL');
    await awayFromStepBoundary();
    return currentTotpCode(totpSecret);
  };
  const requestArgs = (commit: string, message: string, ...extra: string[]) => [
    'deploy-approval',
    'request',
    '-a',
    'myapp',
    '--git-commit',
    commit,
    '-m',
    message,
    ...extra,
  ];
  /** A pending request of the cicd token, made the way CI makes it; resolves to its id. */
  const requested = async (commit = nextCommit(), extra: string[] = []) => {
    const result = await admin.ok(requestArgs(commit, `deploy ${commit.slice(0, 7)}`, ...extra), {
      env: ciEnv,
    });
    return result.stdout.trim();
  };
  /**
   * The pending TTL (at least 5 minutes) passes for one request: its due time moves into the past with the
   * state-machine trigger held off for this one statement (it refuses any other change of a due time).
   */
  const timePassesFor = async (id: string) => {
    await env.db.query('BEGIN');
    await env.db.query('SET LOCAL session_replication_role = replica');
    await env.db.query(
      "UPDATE deploy_approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    await env.db.query('COMMIT');
  };
  const approve = async (id: string) =>
    admin.ok(['--mfa-code', await freshCode(), 'deploy-approval', 'approve', id, '--notes', 'fine']);

  beforeAll(async () => {
    buildBinaries();
    env = await startApprovalsStack();
    root = mkdtempSync(join(tmpdir(), 'cli-approvals-'));
    admin = cliAs('admin', env.sessions.admin);
    deployer = cliAs('deployer', env.sessions.deployer);
    ciEnv = { RACK_GATEWAY_URL: env.stack.gateway.url, RACK_GATEWAY_API_TOKEN: env.ci.secret };
    const start = await env.call(env.sessions.admin, 'POST', '/mfa/totp', {});
    totpSecret = start.body.secret;
    await awayFromStepBoundary();
    const confirmed = await env.call(env.sessions.admin, 'POST', `/mfa/totp/${start.body.methodId}/confirm`, {
      code: currentTotpCode(totpSecret),
    });
    if (confirmed.status !== 200) throw new Error(`TOTP enrolment failed: ${JSON.stringify(confirmed.body)}`);
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('request prints the id; a second request for the same commit gets the same open request back', async () => {
    const commit = nextCommit();
    const first = await admin.run(
      requestArgs(commit, 'first', '--branch', 'main', '--ci-metadata', '{"pipeline_number":"77"}'),
      { env: ciEnv },
    );
    expect(`${first.code} ${first.stderr}`).toMatch(/^0 Deploy approval request \S+ created for myapp at /);
    const id = first.stdout.trim();
    const stored = await env.call(env.adminToken.secret, 'GET', `/deploy-approval-requests/${id}`);
    expect(stored.body).toMatchObject({
      status: 'pending',
      gitCommit: commit,
      gitBranch: 'main',
      ciMetadata: { pipeline_number: '77' },
    });

    const second = await admin.run(requestArgs(commit, 'again'), {
      env: ciEnv,
    });
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe(id);
    expect(second.stderr).toMatch(/already open for this token, app and commit \(status: pending\)/);
  });

  it('refuses a short commit and a bad --timeout locally (nothing created) and says what the gateway wants from a person (--target-token-id)', async () => {
    const short = await admin.run(requestArgs('abc1234', 'x'), {
      env: ciEnv,
    });
    expect(short).toMatchObject({ code: 1 });
    expect(short.stderr).toMatch(/full 40-character commit hash/);
    // A typo in the wait options fails before anything is sent: no request is created for nobody to wait on.
    const typoCommit = nextCommit();
    const typo = await admin.run(requestArgs(typoCommit, 'x', '--wait', '--timeout', '5x'), { env: ciEnv });
    expect(typo).toMatchObject({ code: 1, stdout: '' });
    expect(typo.stderr).toMatch(/--timeout must be a duration like 90s/);
    const stored = await env.db.query('SELECT 1 FROM deploy_approval_requests WHERE git_commit = $1', [
      typoCommit,
    ]);
    expect(stored.rowCount).toBe(0);
    const person = await deployer.run(requestArgs(nextCommit(), 'x'));
    expect(person.code).toBe(1);
    expect(person.stderr).toMatch(/targetTokenId is required.*pass --target-token-id <id>/);
    const forToken = await deployer.run(
      requestArgs(nextCommit(), 'for my CI token', '--target-token-id', env.ci.id),
    );
    expect(`${forToken.code} ${forToken.stderr}`).toMatch(/^0 /);
  });

  it('approve needs a code: without a terminal it says --mfa-code; on a terminal it prompts and retries once', async () => {
    const id = await requested();
    const refused = await admin.run(['deploy-approval', 'approve', id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/mfa_required|multi-factor/i);
    expect(refused.stderr).toMatch(/--mfa-code/);

    const code = await freshCode();
    const prompted = await runOnTerminal(
      admin,
      ['deploy-approval', 'approve', id],
      /Enter MFA code/,
      () => code,
    );
    expect(`${prompted.code} ${prompted.screen}`).toMatch(/^0 /);
    expect(prompted.screen).toMatch(/Multi-factor authentication required \(always\)/);
    expect(prompted.screen).toMatch(/Approved deploy approval request .* now approved/);
  });

  it("refusals in the gateway's words: an API token approving, self-approval, expired, a request no longer open", async () => {
    const id = await requested();
    const byToken = await admin.run(['deploy-approval', 'approve', id], {
      env: { RACK_GATEWAY_URL: env.stack.gateway.url, RACK_GATEWAY_API_TOKEN: env.adminToken.secret },
    });
    expect(byToken.code).toBe(1);
    expect(byToken.stderr).toMatch(/API tokens cannot/);
    expect(byToken.stderr).toMatch(/RACK_GATEWAY_API_TOKEN is set: unset it/);

    const ownToken = await env.cicdToken('admin@example.com', 'admin-ci');
    const own = await admin.ok(requestArgs(nextCommit(), 'mine'), {
      env: { RACK_GATEWAY_URL: env.stack.gateway.url, RACK_GATEWAY_API_TOKEN: ownToken.secret },
    });
    const self = await admin.run([
      '--mfa-code',
      await freshCode(),
      'deploy-approval',
      'approve',
      own.stdout.trim(),
    ]);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/someone else must approve it/);
    expect(self.stderr).not.toMatch(/permission denied/);

    const late = await requested();
    await timePassesFor(late);
    const expired = await admin.run(['--mfa-code', await freshCode(), 'deploy-approval', 'approve', late]);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(new RegExp(`deploy approval request ${late} (is expired|expired at)`));

    await approve(id);
    const twice = await admin.run(['--mfa-code', await freshCode(), 'deploy-approval', 'approve', id]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(
      new RegExp(`deploy approval request ${id} is approved: it cannot be approved`),
    );
  });

  it('wait ends with the exit code of each outcome: approved 0, rejected 3, expired 4, cancelled 5, timeout 7', async () => {
    const approved = await requested();
    await approve(approved);
    const zero = await admin.run(['deploy-approval', 'wait', approved], { env: ciEnv });
    expect(`${zero.code} ${zero.stderr}`).toMatch(/^0 /);
    expect(zero.stderr).toMatch(/approved by admin@example.com: fine; deploy before /);

    const rejected = await requested();
    await admin.ok([
      '--mfa-code',
      await freshCode(),
      'deploy-approval',
      'reject',
      rejected,
      '--notes',
      'not today',
    ]);
    const three = await admin.run(['deploy-approval', 'wait', rejected], { env: ciEnv });
    expect(three.code).toBe(3);
    expect(three.stderr).toMatch(/was rejected by admin@example.com: not today/);

    const expired = await requested();
    await timePassesFor(expired);
    const four = await admin.run(['deploy-approval', 'wait', expired], { env: ciEnv });
    expect(four.code).toBe(4);
    expect(four.stderr).toMatch(/expired at .* without a deploy/);

    const cancelled = await requested();
    await deployer.ok(['deploy-approval', 'cancel', cancelled, '--notes', 'superseded']);
    const five = await admin.run(['deploy-approval', 'wait', cancelled], { env: ciEnv });
    expect(five.code).toBe(5);
    expect(five.stderr).toMatch(/was cancelled by deployer@example.com: superseded/);

    const pending = await requested();
    const seven = await admin.run(
      ['deploy-approval', 'wait', pending, '--timeout', '2s', '--poll-interval', '1s'],
      {
        env: ciEnv,
      },
    );
    expect(seven.code).toBe(7);
    expect(seven.stderr).toMatch(/Waiting for approval of .*: pending/);
    expect(seven.stderr).toMatch(
      /timed out after 2s waiting for deploy approval request .* \(still pending\)/,
    );
  });

  it('on a terminal the wait is a spinner with the elapsed time', async () => {
    const pending = await requested();
    const never = /$^/;
    const run = await runOnTerminal(
      admin,
      ['deploy-approval', 'wait', pending, '--timeout', '3s', '--poll-interval', '1s'],
      never,
      () => '',
      20_000,
      'xterm',
    );
    expect(run.code).toBe(7);
    expect(run.screen).toMatch(new RegExp(`Waiting for approval of ${pending}: pending \\([12]s\\)`));
    expect(run.screen).not.toMatch(/pending after/);
  });

  it('request --wait on an existing open request waits on it, and ends when an approver decides', async () => {
    const commit = nextCommit();
    const id = await requested(commit);
    const child = admin.spawn(requestArgs(commit, 'retry', '--wait', '--poll-interval', '1s'), {
      env: ciEnv,
    });
    let stderr = '';
    // Listened for from the start: the CLI may end before the test looks again.
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin.end();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (/Waiting for approval/.test(stderr) || child.exitCode !== null) {
          clearInterval(check);
          resolve();
        }
      }, 50);
    });
    expect(stderr).toMatch(new RegExp(`${id} is already open`));
    await approve(id);
    const code = await closed;
    expect(`${code} ${stderr}`).toMatch(/^0 /);
    expect(stderr).toMatch(/approved after \d+s/);
  });

  it('wait without an id finds the newest request for the app and commit', async () => {
    const commit = nextCommit();
    const id = await requested(commit);
    await approve(id);
    const found = await admin.run(
      ['deploy-approval', 'wait', '-a', 'myapp', '--git-commit', commit, '--json'],
      { env: ciEnv },
    );
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({ id, status: 'approved' });
    const none = await admin.run(['deploy-approval', 'wait', '-a', 'myapp', '--git-commit', nextCommit()], {
      env: ciEnv,
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /no deploy approval request for myapp at .*: run rack-gateway deploy-approval request first/,
    );
  });

  it('list filters by status and commit, follows pages with --all, and show prints one request', async () => {
    const commit = nextCommit();
    const id = await requested(commit);
    const table = await admin.ok([
      'deploy-approval',
      'list',
      '--status',
      'pending',
      '--commit',
      commit.slice(0, 10),
    ]);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+APP\s+COMMIT\s+BRANCH\s+REQUESTED BY\s+CREATED\s+MESSAGE/);
    expect(table.stdout).toContain(id);
    expect(table.stdout.trim().split('\n')).toHaveLength(2);

    const onePage = await admin.ok(['deploy-approval', 'list', '--limit', '1', '--json']);
    const first = JSON.parse(onePage.stdout);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const all = JSON.parse(
      (await admin.ok(['deploy-approval', 'list', '--limit', '1', '--all', '--json'])).stdout,
    );
    expect(all.items.length).toBeGreaterThan(3);
    expect(new Set(all.items.map((r: { id: string }) => r.id)).size).toBe(all.items.length);

    const badStatus = await admin.run(['deploy-approval', 'list', '--status', 'done']);
    expect(badStatus.stderr).toMatch(/--status must be one of: pending, approved/);

    const shown = await admin.ok(['deploy-approval', 'show', id]);
    expect(shown.stdout).toMatch(new RegExp(`^Id\\s+${id}$`, 'm'));
    expect(shown.stdout).toMatch(/^Status\s+pending$/m);
    expect(shown.stdout).toMatch(new RegExp(`^Commit\\s+${commit}$`, 'm'));
    expect(shown.stdout).toMatch(/^Requested by\s+token ci \(deployer@example.com\)$/m);
    const missing = await admin.run(['deploy-approval', 'show', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no deploy approval request 00000000-0000-4000-8000-000000000000/);
  });

  it('extend gives an approval a new window; cancel by someone else is refused', async () => {
    const id = await requested();
    await approve(id);
    const extended = await admin.ok([
      '--mfa-code',
      await freshCode(),
      'deploy-approval',
      'extend',
      id,
      '--json',
    ]);
    expect(JSON.parse(extended.stdout)).toMatchObject({ id, status: 'approved' });
    const viewer = cliAs('viewer', env.sessions.viewer);
    const refused = await viewer.run(['deploy-approval', 'cancel', id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/permission|whoever requested it/);
  });
});
