import { defineSetting } from '../setting-definition';
import { booleanType, stringType } from '../setting-types';

const PROVIDERS = 'deploy approvals: CI auto-approve and commit verification (src/approvals/providers)';
const API_URL = /^https?:\/\/[^\s/?#@]+(:\d{1,5})?(\/[^\s?#]*)?$/;

/**
 * The CI and VCS providers behind deploy approvals (docs/DEPLOY_APPROVALS.md): CircleCI's approval job
 * released after a human approves, and GitHub's view of the commit checked when a request is made.
 */
export const INTEGRATION_SETTINGS = [
  defineSetting({
    key: 'ci.circleci_api_url',
    scope: 'global',
    group: 'CI and VCS',
    type: stringType(API_URL, 'an http(s) URL', 500),
    default: 'https://circleci.com/api/v2',
    description: 'Base URL of the CircleCI API v2 (changed only to reach a proxy or a test double).',
    readBy: PROVIDERS,
  }),
  defineSetting({
    key: 'vcs.github_api_url',
    scope: 'global',
    group: 'CI and VCS',
    type: stringType(API_URL, 'an http(s) URL', 500),
    default: 'https://api.github.com',
    description: 'Base URL of the GitHub REST API (GitHub Enterprise: https://HOST/api/v3).',
    readBy: PROVIDERS,
  }),
  defineSetting({
    key: 'ci.auto_approve',
    scope: 'app',
    group: 'CI and VCS',
    type: booleanType(),
    default: false,
    description:
      "After a human approves a request whose CI metadata names a CircleCI workflow, approve that workflow's approval job (needs `ci.provider` circleci and `ci.api_token`).",
    readBy: PROVIDERS,
  }),
  defineSetting({
    key: 'ci.approval_job_name',
    scope: 'app',
    group: 'CI and VCS',
    type: stringType(/^[^\r\n]+$/, 'a job name on one line', 200),
    default: 'hold',
    description:
      "Name of the CircleCI `type: approval` job to approve, unless the request's CI metadata names one (`approval_job_name`).",
    readBy: PROVIDERS,
  }),
  defineSetting({
    key: 'vcs.verify_commits',
    scope: 'app',
    group: 'CI and VCS',
    type: booleanType(),
    default: false,
    description:
      'A new request must name a branch of `vcs.repo` that contains its commit (the commit is the branch head or behind it), checked with GitHub when the request is made. The default branch is allowed like any other.',
    readBy: PROVIDERS,
  }),
  defineSetting({
    key: 'vcs.api_token',
    scope: 'app',
    group: 'CI and VCS',
    type: stringType(/^[A-Za-z0-9_.:+/=-]{8,}$/, 'a token of letters, digits and _.:+/=-', 512),
    default: '',
    description: 'GitHub token that can read `vcs.repo` (contents: read). Write-only.',
    readBy: PROVIDERS,
    sensitive: true,
  }),
] as const;
