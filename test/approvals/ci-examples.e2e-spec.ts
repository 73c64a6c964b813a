import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WAIT_EXIT_CODES } from '../../client/cli/src/approvals/exit-codes';
import { currentTotpCode } from '../../src/mfa/factors/totp';
import { buildBinaries } from '../harness/built-binaries';
import { CliRunner } from '../cli/cli-runner';
import { awayFromStepBoundary } from '../mfa/mfa-stack';
import { startApprovalsStack, type ApprovalsStack } from './approvals-fixture';
import { circleWorkflow, docSection, githubJobs, type CiJob } from './ci-example-scripts';
import { CiMachine, finished } from './ci-step-runner';

/** The test's values for the CI expressions the examples use (never real endpoints). */
const exampleValues = (gatewayUrl: string, token: string) => ({
  'vars.RACK_GATEWAY_URL': gatewayUrl,
  'secrets.RACK_GATEWAY_API_TOKEN': token,
  'vars.RACK_GATEWAY_CLI_TARBALL': '/not/used/by/the/test.tgz',
  'pipeline.number': '6279',
});

const step = (job: CiJob, name: RegExp) => {
  const found = job.steps.find((s) => name.test(s.name));
  if (!found) throw new Error(`job ${job.name} has no step matching ${name}`);
  return found;
};

describe('docs/DEPLOY_APPROVALS.md CI examples as written', () => {
  it("the exit code table is the CLI's", () => {
    const rows = [...docSection('Exit codes').matchAll(/^\| (\d+) +\| (\w+) +\|/gm)].map(
      ([, code, outcome]) => [outcome, Number(code)],
    );
    expect(Object.fromEntries(rows)).toEqual({ ...WAIT_EXIT_CODES, error: 1 });
  });

  it('GitHub Actions: one job whose only skipped steps are checkout, setup-node and the install', () => {
    const [job] = githubJobs(exampleValues('https://gw.example.test', 'rgw_x'));
    expect(job.skipped).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'Install rack-gateway and convox',
    ]);
    expect(job.steps.map((s) => s.name)).toEqual(['Request a deploy approval and wait for it', 'Deploy']);
    expect(job.steps[0].env).toMatchObject({ RACK_GATEWAY_API_TOKEN: 'rgw_x', CONVOX_APP: 'myapp' });
  });

  it('CircleCI: request-approval, then an approval job, then deploy; pipeline.number lands in the job environment', () => {
    const { jobs } = circleWorkflow(exampleValues('https://gw.example.test', 'rgw_x'));
    expect(jobs.map((j) => [j.name, j.approval, j.requires])).toEqual([
      ['request-approval', false, []],
      ['hold', true, ['request-approval']],
      ['deploy', false, ['hold']],
    ]);
    expect(jobs[0].steps[0].env.CIRCLE_PIPELINE_NUMBER).toBe('6279');
    expect(jobs[2].skipped).toEqual(['checkout', 'Install rack-gateway and convox']);
  });
});

describe('docs/DEPLOY_APPROVALS.md CI examples against a real gateway, PostgreSQL and mock rack', () => {
  let env: ApprovalsStack;
  let root: string;
  let checkout: string;
  let approver: CliRunner;
  let totpSecret: string;

  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.com', ...args], {
      cwd: checkout,
      encoding: 'utf8',
    }).trim();

  /** A new commit in the checkout (the app's source), returning its full hash. */
  const commit = (subject: string) => {
    writeFileSync(join(checkout, 'app.js'), `console.log(${JSON.stringify(subject)})\n`);
    git('add', '.');
    git('commit', '-qm', subject);
    return git('rev-parse', 'HEAD');
  };

  const requestFor = async (sha: string) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const page = await env.call(env.adminToken.secret, 'GET', `/deploy-approval-requests?gitCommit=${sha}`);
      if (page.body?.items?.length) return page.body.items[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no request for ${sha}`);
  };

  /** The approver decides with `rack-gateway deploy-approval …` and a fresh TOTP code, as a person would. */
  const decide = async (action: 'approve' | 'reject', id: string, notes: string) => {
    await env.db.query('UPDATE mfa_methods SET last_used_step = NULL');
    await awayFromStepBoundary();
    return approver.run([
      '--mfa-code',
      currentTotpCode(totpSecret),
      'deploy-approval',
      action,
      id,
      '--notes',
      notes,
    ]);
  };

  beforeAll(async () => {
    buildBinaries();
    env = await startApprovalsStack();
    root = mkdtempSync(join(tmpdir(), 'ci-examples-'));
    checkout = join(root, 'checkout');
    mkdirSync(checkout);
    writeFileSync(join(checkout, 'convox.yml'), 'services:\n  web:\n    build: .\n    port: 3000\n');
    writeFileSync(join(checkout, 'Dockerfile'), 'FROM node:24-alpine\nCOPY . .\n');
    git('init', '-q', '-b', 'main');
    approver = new CliRunner(join(root, 'approver'));
    mkdirSync(approver.configDir, { recursive: true });
    writeFileSync(
      join(approver.configDir, 'config.json'),
      JSON.stringify({
        current: 'dev',
        racks: { dev: { url: env.stack.gateway.url, token: env.sessions.admin } },
      }),
    );
    totpSecret = await enrolTotp(env, env.sessions.admin);
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('GitHub Actions: the request step waits, an approver approves with an MFA code, convox deploys the approved commit', async () => {
    const sha = commit('Add the billing page');
    const [job] = githubJobs(exampleValues(env.stack.gateway.url, env.ci.secret));
    const machine = new CiMachine(join(root, 'gha-1'), checkout, githubEnv(sha));

    const waiting = machine.start(step(job, /^Request/));
    const waited = finished(waiting, 'request', 120_000);
    const request = await requestFor(sha);
    expect(request).toMatchObject({
      status: 'pending',
      app: 'myapp',
      gitBranch: 'main',
      message: `Deploy ${sha.slice(0, 7)}: Add the billing page`,
      ciUrl: 'https://github.com/acme/shop/actions/runs/7001',
      ciMetadata: { provider: 'github_actions', run_id: '7001', run_number: 12 },
    });
    const approved = await decide('approve', request.id, 'reviewed in #12');
    expect(`${approved.code} ${approved.stderr}`).toMatch(/^0 /);
    expect(approved.stdout).toMatch(/Approved deploy approval request .* now approved; deploy window until /);

    const requested = await waited;
    expect(`${requested.code} ${requested.stderr}`).toMatch(/^0 /);
    expect(requested.stdout.trim()).toBe(request.id);
    expect(requested.stderr).toMatch(/Waiting for approval of /);
    expect(requested.stderr).toMatch(/approved by admin@example.com: reviewed in #12/);

    const deployed = await machine.run(step(job, /^Deploy/), 120_000);
    expect(`${deployed.code} ${deployed.stderr}`).toMatch(/^0 /);
    const [convoxCall] = readFileSync(machine.convoxLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(convoxCall.args).toEqual(['deploy', '--app', 'myapp', '--wait']);
    expect(convoxCall.rackUrl).toBe(
      `${env.stack.gateway.url.replace('://', `://convox:${env.ci.secret}@`)}/api/v1/rack-proxy`,
    );
    const after = await env.call(env.adminToken.secret, 'GET', `/deploy-approval-requests/${request.id}`);
    expect(after.body).toMatchObject({ status: 'deployed' });
    expect(after.body.releaseId).toMatch(/^R/);
  }, 180_000);

  it('GitHub Actions: a rejection ends the wait with exit 3 and the notes, and the gate refuses the deploy step', async () => {
    const sha = commit('Risky migration');
    const [job] = githubJobs(exampleValues(env.stack.gateway.url, env.ci.secret));
    const machine = new CiMachine(join(root, 'gha-2'), checkout, githubEnv(sha));
    const waited = finished(machine.start(step(job, /^Request/)), 'request', 120_000);
    const request = await requestFor(sha);
    const rejected = await decide('reject', request.id, 'needs a maintenance window');
    expect(rejected.code).toBe(0);
    const requested = await waited;
    expect(requested.code).toBe(3);
    expect(requested.stderr).toMatch(/was rejected by admin@example.com: needs a maintenance window/);

    const refused = await machine.run(step(job, /^Deploy/), 60_000);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      new RegExp(`deploy request ${request.id} for myapp at ${sha} was rejected`),
    );
  }, 180_000);

  it('CircleCI: the request job records the pipeline, the deploy job checks the approval and deploys', async () => {
    const sha = commit('Faster checkout');
    const { jobs } = circleWorkflow(exampleValues(env.stack.gateway.url, env.ci.secret));
    const [requestJob, hold, deployJob] = jobs;
    const machine = new CiMachine(join(root, 'circle'), checkout, {
      ...circleEnv(sha),
      RACK_GATEWAY_URL: env.stack.gateway.url,
      RACK_GATEWAY_API_TOKEN: env.ci.secret,
    });

    const requested = await machine.run(step(requestJob, /^Request/));
    expect(`${requested.code} ${requested.stderr}`).toMatch(/^0 /);
    const request = await requestFor(sha);
    expect(requested.stdout.trim()).toBe(request.id);
    expect(request).toMatchObject({
      status: 'pending',
      gitBranch: 'main',
      message: `Deploy ${sha.slice(0, 7)} from main: Faster checkout`,
      ciUrl: 'https://circleci.com/gh/acme/shop/901',
      ciMetadata: { provider: 'circleci', workflow_id: 'wf-0c1d', pipeline_number: 6279 },
    });

    // A re-run of the request job gets the open request back (409), not a second one.
    const rerun = await machine.run(step(requestJob, /^Request/));
    expect(rerun.code).toBe(0);
    expect(rerun.stdout.trim()).toBe(request.id);
    expect(rerun.stderr).toMatch(/is already open for this token, app and commit \(status: pending\)/);

    // hold: a person approves in the gateway (with ci.auto_approve the gateway releases the hold job too).
    expect(hold.approval).toBe(true);
    expect((await decide('approve', request.id, 'ok')).code).toBe(0);

    const checked = await machine.run(step(deployJob, /^Check/));
    expect(`${checked.code} ${checked.stderr}`).toMatch(/^0 /);
    expect(checked.stderr).toMatch(/approved by admin@example.com/);
    const deployed = await machine.run(step(deployJob, /^Deploy/), 120_000);
    expect(`${deployed.code} ${deployed.stderr}`).toMatch(/^0 /);
    const after = await env.call(env.adminToken.secret, 'GET', `/deploy-approval-requests/${request.id}`);
    expect(after.body.status).toBe('deployed');

    // A re-run of the deploy job stops at the check: this approval was used (exit 6).
    const again = await machine.run(step(deployJob, /^Check/));
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/was already used: release R\w+ was promoted/);
  }, 180_000);

  it("the auditor's report shows both pipelines' deploys with their approvals (rack-gateway report deployments)", async () => {
    const json = await approver.ok(['report', 'deployments']);
    const report = JSON.parse(json.stdout) as {
      truncated: boolean;
      rows: Array<{
        approvalRequestId: string;
        approver: string;
        promotedByKind: string;
        exceptions: string[];
      }>;
    };
    expect(report.truncated).toBe(false);
    const approved = report.rows.filter((row) => row.approvalRequestId);
    expect(approved).toHaveLength(2);
    for (const row of approved) {
      expect(row).toMatchObject({ approver: 'admin@example.com', promotedByKind: 'token', exceptions: [] });
    }

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const csv = await approver.ok([
      'report',
      'deployments',
      '--from',
      from,
      '--to',
      new Date(Date.now() + 60_000).toISOString(),
      '--format',
      'csv',
    ]);
    const [header, ...lines] = csv.stdout.trim().split('\n');
    expect(header.split(',')).toEqual(
      expect.arrayContaining(['promotedAt', 'releaseId', 'gitCommit', 'approver', 'exceptions']),
    );
    expect(lines.filter((line) => line.includes('admin@example.com'))).toHaveLength(2);

    const backwards = await approver.run([
      'report',
      'deployments',
      '--from',
      '2026-02-01',
      '--to',
      '2026-01-01',
    ]);
    expect(backwards).toMatchObject({ code: 1, stderr: 'Error: --from must be before --to\n' });
    const byToken = await approver.run(['report', 'deployments'], {
      env: { RACK_GATEWAY_URL: env.stack.gateway.url, RACK_GATEWAY_API_TOKEN: env.ci.secret },
    });
    expect(byToken.code).toBe(1);
    expect(byToken.stderr).toMatch(/permission denied.*gateway:audit:read/);
  });
});

function githubEnv(sha: string): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '7001',
    GITHUB_RUN_NUMBER: '12',
    GITHUB_WORKFLOW: 'deploy',
  };
}

function circleEnv(sha: string): Record<string, string> {
  return {
    CI: 'true',
    CIRCLECI: 'true',
    CIRCLE_SHA1: sha,
    CIRCLE_BRANCH: 'main',
    CIRCLE_WORKFLOW_ID: 'wf-0c1d',
    CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/shop/901',
    CIRCLE_BUILD_NUM: '901',
  };
}

/** Enrols an authenticator app for the approver's session (the always-MFA action then needs its codes). */
async function enrolTotp(env: ApprovalsStack, session: string): Promise<string> {
  const start = await env.call(session, 'POST', '/mfa/totp', {});
  if (start.status !== 201) throw new Error(`enrol: ${start.status} ${JSON.stringify(start.body)}`);
  const { methodId, secret } = start.body as { methodId: string; secret: string };
  await awayFromStepBoundary();
  const confirm = await env.call(session, 'POST', `/mfa/totp/${methodId}/confirm`, {
    code: currentTotpCode(secret),
  });
  if (confirm.status !== 200) throw new Error(`confirm: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  return secret;
}
