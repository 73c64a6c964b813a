import { startNotificationSinks, type NotificationSinks } from '../../src/dev/notification-sinks';
import { startMockCircleCi, type MockCircleCi } from '../mocks/mock-circleci';
import { startMockGitHub, type MockGitHub } from '../mocks/mock-github';
import { type ApprovalsStack, nextCommit, requestBody, startApprovalsStack } from './approvals-fixture';

const CIRCLE_TOKEN = 'circle-token-e2e-0123456789';
const GITHUB_TOKEN = 'ghp_e2eGitHubToken0123456789';

describe('deploy approvals with notifications, GitHub commit verification and CircleCI auto-approve (local mocks)', () => {
  let t: ApprovalsStack;
  let sinks: NotificationSinks;
  let github: MockGitHub;
  let circleci: MockCircleCi;
  const [old, merged, head, stray] = [nextCommit(), nextCommit(), nextCommit(), nextCommit()];
  // Further commits of main, one per test that needs its own open request.
  const [forCircle, forFailure] = [nextCommit(), nextCommit()];

  beforeAll(async () => {
    sinks = await startNotificationSinks({
      webhookSecret: 'providers-e2e-secret-value',
      emailTo: ['approvers@example.com'],
    });
    github = await startMockGitHub('acme/myapp', {
      main: [old, merged, forCircle, forFailure, head],
      feature: [old, stray],
    });
    circleci = await startMockCircleCi(CIRCLE_TOKEN, {
      'wf-1': [
        { id: 'j-build', name: 'build', type: 'build', status: 'success' },
        { id: 'j-hold', name: 'hold', type: 'approval', status: 'on_hold', approval_request_id: 'ar-1' },
      ],
    });
    t = await startApprovalsStack({
      ...sinks.settingsEnvironment,
      RGW_SETTING_VCS_GITHUB_API_URL: github.url,
      RGW_SETTING_CI_CIRCLECI_API_URL: circleci.url,
      RGW_APP_MYAPP_SETTING_VCS_VERIFY_COMMITS: 'true',
      RGW_APP_MYAPP_SETTING_VCS_REPO: 'acme/myapp',
      RGW_APP_MYAPP_SETTING_VCS_API_TOKEN: GITHUB_TOKEN,
      RGW_APP_MYAPP_SETTING_CI_PROVIDER: 'circleci',
      RGW_APP_MYAPP_SETTING_CI_AUTO_APPROVE: 'true',
      RGW_APP_MYAPP_SETTING_CI_API_TOKEN: CIRCLE_TOKEN,
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([sinks?.close(), github?.close(), circleci?.close()]);
  });

  const create = (commit: string, extra: Record<string, unknown> = {}) =>
    t.call(t.ci.secret, 'POST', '/deploy-approval-requests', requestBody(commit, extra));

  it('accepts the head of main and an older commit of main: deploying the default branch after a merge works', async () => {
    const atHead = await create(head);
    expect(atHead.status).toBe(201);
    const behind = await create(merged, { gitBranch: 'main' });
    expect(behind.status).toBe(201);
    const call = github.calls.find((c) => c.path.endsWith(`/compare/main...${head}`));
    expect(call?.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
  });

  it('refuses a commit that is not on the named branch, an unknown commit and a missing branch, each with its reason', async () => {
    const diverged = await create(stray, { gitBranch: 'main' });
    expect(diverged.status).toBe(400);
    expect(diverged.body).toMatchObject({ error: 'commit_not_on_branch' });
    expect(diverged.body.message).toContain('GitHub compare status: diverged');
    const unknown = await create(nextCommit());
    expect(unknown).toMatchObject({ status: 400, body: { error: 'commit_not_on_branch' } });
    const { gitBranch: _b, ...noBranch } = requestBody(head);
    const missing = await t.call(t.ci.secret, 'POST', '/deploy-approval-requests', {
      ...noBranch,
      gitCommit: old,
    });
    expect(missing).toMatchObject({ status: 400, body: { error: 'git_branch_required' } });
    const onFeature = await create(stray, { gitBranch: 'feature' });
    expect(onFeature.status).toBe(201);
  });

  it('fails closed with 502 while GitHub cannot answer', async () => {
    github.failing = true;
    try {
      const answer = await create(old);
      expect(answer).toMatchObject({ status: 502, body: { error: 'vcs_verification_unavailable' } });
      expect(answer.body.message).toContain('answered 503');
    } finally {
      github.failing = false;
    }
  });

  it('notifies each lifecycle change on Slack, the signed webhook and email', async () => {
    const created = await create(old, { message: 'release <!channel> now' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const has = (m: { content: unknown }) => JSON.stringify(m.content).includes(id);
    const slack = await sinks.inbox.waitFor((m) => m.channel === 'slack' && has(m));
    expect(JSON.stringify(slack.content)).toContain('release &lt;!channel&gt; now');
    expect(JSON.stringify(slack.content)).not.toContain('<!channel>');

    const rejected = await t.call(t.sessions.admin, 'POST', `/deploy-approval-requests/${id}/reject`, {
      notes: 'not today',
    });
    expect(rejected.status).toBe(200);
    const hook = await sinks.inbox.waitFor(
      (m) => m.channel === 'webhook' && has(m) && JSON.stringify(m.content).includes('approval.rejected'),
    );
    expect(hook.content).toMatchObject({
      verdict: 'valid',
      body: { data: { actor: 'admin@example.com', notes: 'not today' } },
    });
    const email = await sinks.inbox.waitFor(
      (m) => m.channel === 'email' && has(m) && JSON.stringify(m.content).includes('Deploy rejected'),
    );
    expect(email.content).toMatchObject({ to: ['approvers@example.com'] });
  });

  it('approves the CircleCI approval job after a person approves, with the token never in a job or an answer', async () => {
    const created = await create(forCircle, { ciMetadata: { workflow_id: 'wf-1', pipeline_number: 42 } });
    expect(created.status).toBe(201);
    const fresh = created.body.id as string;
    const approved = await t.call(t.sessions.admin, 'POST', `/deploy-approval-requests/${fresh}/approve`, {});
    expect(approved.status).toBe(200);
    for (let i = 0; i < 100 && circleci.workflows['wf-1'][1].status !== 'success'; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(circleci.workflows['wf-1'][1].status).toBe('success');
    expect(circleci.calls.map((c) => `${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining(['GET /workflow/wf-1/job', 'POST /workflow/wf-1/approve/ar-1']),
    );

    const jobs = await t.call(t.sessions.admin, 'GET', '/jobs?queue=circleci-approve');
    expect(jobs.status).toBe(200);
    expect(jobs.body.jobs[0].args).toEqual({
      requestId: fresh,
      app: 'myapp',
      workflowId: 'wf-1',
      jobName: 'hold',
    });
    const everything = JSON.stringify([
      jobs.body,
      (await t.call(t.sessions.admin, 'GET', '/apps/myapp/settings')).body,
    ]);
    expect(everything).not.toContain(CIRCLE_TOKEN);
    expect(everything).not.toContain(GITHUB_TOKEN);

    await t.auditSettled();
    const story = await t.call(t.sessions.admin, 'GET', `/deploy-approval-requests/${fresh}/audit-events`);
    expect(JSON.stringify(story.body)).toContain('gateway:deploy_approval:ci_auto_approve');
  });

  it('shows a failing auto-approve on the request and in the jobs list, and keeps retrying it', async () => {
    const created = await create(forFailure, { ciMetadata: { workflow_id: 'wf-missing' } });
    expect(created.status).toBe(201);
    const fresh = created.body.id as string;
    expect(
      (await t.call(t.sessions.admin, 'POST', `/deploy-approval-requests/${fresh}/approve`, {})).status,
    ).toBe(200);
    let job: { state: string; lastError: string | null; args: { requestId: string } } | undefined;
    for (let i = 0; i < 100; i += 1) {
      const page = await t.call(t.sessions.admin, 'GET', '/jobs?queue=circleci-approve');
      job = (page.body.jobs as (typeof job)[]).find((j) => j?.args.requestId === fresh);
      if (job?.state === 'retry') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job).toMatchObject({
      state: 'retry',
      lastError: 'CircleCI GET /workflow/wf-missing/job answered 404',
    });
    await t.auditSettled();
    const story = await t.call(t.sessions.admin, 'GET', `/deploy-approval-requests/${fresh}/audit-events`);
    expect(JSON.stringify(story.body)).toContain('answered 404');
  });
});
