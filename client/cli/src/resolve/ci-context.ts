/**
 * What a CI job says about itself through its environment, so `deploy-approval request` needs no flags
 * for the commit, the branch and the pipeline there. Only GitHub Actions and CircleCI are read; explicit
 * flags always win over what is found here.
 */
export interface CiContext {
  provider: 'github_actions' | 'circleci';
  gitCommit?: string;
  gitBranch?: string;
  /** Free-form facts stored on the request (the gateway shows them and CircleCI auto-approve reads them). */
  metadata: Record<string, string | number>;
  ciUrl?: string;
  prUrl?: string;
}

type Env = Record<string, string | undefined>;

function compact(values: Record<string, string | number | undefined>): Record<string, string | number> {
  const kept: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== '') kept[key] = value;
  return kept;
}

/** A whole number stays a number (CircleCI's `<< pipeline.number >>`), anything else the text itself. */
function numberOrText(value: string | undefined): string | number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value.trim();
}

function fromGithubActions(env: Env): CiContext {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repository = env.GITHUB_REPOSITORY;
  const runUrl =
    repository && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  // On pull_request events GITHUB_REF is refs/pull/<n>/merge and the branch is GITHUB_HEAD_REF.
  const pullNumber = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '')?.[1];
  return {
    provider: 'github_actions',
    gitCommit: env.GITHUB_SHA,
    gitBranch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || undefined,
    metadata: compact({
      provider: 'github_actions',
      repository,
      workflow: env.GITHUB_WORKFLOW,
      job: env.GITHUB_JOB,
      run_id: env.GITHUB_RUN_ID,
      run_number: numberOrText(env.GITHUB_RUN_NUMBER),
      run_attempt: numberOrText(env.GITHUB_RUN_ATTEMPT),
      actor: env.GITHUB_ACTOR,
      build_url: runUrl,
    }),
    ciUrl: runUrl,
    prUrl: repository && pullNumber ? `${server}/${repository}/pull/${pullNumber}` : undefined,
  };
}

function fromCircleCi(env: Env): CiContext {
  const project =
    env.CIRCLE_PROJECT_USERNAME && env.CIRCLE_PROJECT_REPONAME
      ? `${env.CIRCLE_PROJECT_USERNAME}/${env.CIRCLE_PROJECT_REPONAME}`
      : undefined;
  return {
    provider: 'circleci',
    gitCommit: env.CIRCLE_SHA1,
    gitBranch: env.CIRCLE_BRANCH || undefined,
    metadata: compact({
      provider: 'circleci',
      project,
      workflow_id: env.CIRCLE_WORKFLOW_ID,
      pipeline_id: env.CIRCLE_PIPELINE_ID,
      // Not a built-in variable: CircleCI has it only as << pipeline.number >>, which a job can export.
      pipeline_number: numberOrText(env.CIRCLE_PIPELINE_NUMBER),
      job: env.CIRCLE_JOB,
      build_num: numberOrText(env.CIRCLE_BUILD_NUM),
      build_url: env.CIRCLE_BUILD_URL,
    }),
    ciUrl: env.CIRCLE_BUILD_URL || undefined,
    prUrl: env.CIRCLE_PULL_REQUEST?.startsWith('http') ? env.CIRCLE_PULL_REQUEST : undefined,
  };
}

export function readCiContext(env: Env): CiContext | undefined {
  if (env.GITHUB_ACTIONS === 'true') return fromGithubActions(env);
  if (env.CIRCLECI === 'true') return fromCircleCi(env);
  return undefined;
}
