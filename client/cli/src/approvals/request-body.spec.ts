import { readCiContext } from '../resolve/ci-context';
import { buildCreateBody } from './request-body';

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const OTHER = 'b'.repeat(40);

describe('buildCreateBody', () => {
  it('takes commit, branch, run URL and metadata from GitHub Actions when no flags say otherwise', () => {
    const ci = readCiContext({
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: SHA,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '9876',
      GITHUB_RUN_NUMBER: '42',
      GITHUB_WORKFLOW: 'deploy',
    });
    const body = buildCreateBody({ app: 'shop', message: 'ship it' }, ci, { commit: OTHER, branch: 'local' });
    expect(body).toEqual({
      app: 'shop',
      gitCommit: SHA,
      gitBranch: 'main',
      message: 'ship it',
      ciMetadata: {
        provider: 'github_actions',
        repository: 'acme/shop',
        workflow: 'deploy',
        run_id: '9876',
        run_number: 42,
        build_url: 'https://github.com/acme/shop/actions/runs/9876',
      },
      ciUrl: 'https://github.com/acme/shop/actions/runs/9876',
      prUrl: undefined,
      targetTokenId: undefined,
    });
  });

  it('uses the head branch and the pull request URL on a pull_request run', () => {
    const ci = readCiContext({
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: SHA,
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_REF_NAME: '17/merge',
      GITHUB_HEAD_REF: 'feature/cart',
      GITHUB_REPOSITORY: 'acme/shop',
    });
    expect(ci).toMatchObject({ gitBranch: 'feature/cart', prUrl: 'https://github.com/acme/shop/pull/17' });
  });

  it('reads CircleCI, keeping a numeric pipeline number a number, and lets --ci-metadata override keys', () => {
    const ci = readCiContext({
      CIRCLECI: 'true',
      CIRCLE_SHA1: SHA.toUpperCase(),
      CIRCLE_BRANCH: 'release',
      CIRCLE_WORKFLOW_ID: 'wf-1',
      CIRCLE_PIPELINE_NUMBER: '6279',
      CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/shop/123',
      CIRCLE_PULL_REQUEST: 'https://github.com/acme/shop/pull/3',
    });
    const body = buildCreateBody(
      { app: 'shop', message: 'm', ciMetadata: '{"workflow_id":"wf-2","extra":true}' },
      ci,
      {},
    );
    expect(body.gitCommit).toBe(SHA);
    expect(body.gitBranch).toBe('release');
    expect(body.ciMetadata).toMatchObject({
      provider: 'circleci',
      workflow_id: 'wf-2',
      pipeline_number: 6279,
      extra: true,
    });
    expect(body.ciUrl).toBe('https://circleci.com/gh/acme/shop/123');
    expect(body.prUrl).toBe('https://github.com/acme/shop/pull/3');
  });

  it('flags win over the CI environment, and the checkout is the last resort', () => {
    const ci = readCiContext({ CIRCLECI: 'true', CIRCLE_SHA1: SHA, CIRCLE_BRANCH: 'ci-branch' });
    expect(
      buildCreateBody({ app: 'a', message: 'm', gitCommit: OTHER, branch: 'flag' }, ci, {}),
    ).toMatchObject({
      gitCommit: OTHER,
      gitBranch: 'flag',
    });
    expect(
      buildCreateBody({ app: 'a', message: 'm' }, undefined, { commit: OTHER, branch: 'dev' }),
    ).toMatchObject({
      gitCommit: OTHER,
      gitBranch: 'dev',
      ciMetadata: undefined,
    });
  });

  it('refuses a short or missing commit, an empty message and metadata that is not a JSON object', () => {
    expect(() => buildCreateBody({ app: 'a', message: 'm', gitCommit: 'abc1234' }, undefined, {})).toThrow(
      /full 40-character commit hash/,
    );
    expect(() => buildCreateBody({ app: 'a', message: 'm' }, undefined, {})).toThrow(/pass --git-commit/);
    expect(() => buildCreateBody({ app: 'a', message: '  ', gitCommit: SHA }, undefined, {})).toThrow(
      /--message/,
    );
    expect(() =>
      buildCreateBody({ app: 'a', message: 'm', gitCommit: SHA, ciMetadata: '[1]' }, undefined, {}),
    ).toThrow(/must be a JSON object/);
    expect(() =>
      buildCreateBody({ app: 'a', message: 'm', gitCommit: SHA, ciMetadata: '{' }, undefined, {}),
    ).toThrow(/not valid JSON/);
  });

  it('is not in CI without the provider flag variable', () => {
    expect(readCiContext({ GITHUB_SHA: SHA })).toBeUndefined();
  });
});
