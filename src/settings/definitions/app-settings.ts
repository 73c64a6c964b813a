import { defineSetting } from '../setting-definition';
import {
  enumType,
  envKeyPatternListType,
  patternMapType,
  stringListType,
  stringType,
} from '../setting-types';

const APPROVALS_NOT_BUILT = 'deploy approvals (declared now; read once approvals are built)';

/** Settings of one Convox app, set under /api/v1/apps/:app/settings. */
export const APP_SETTINGS = [
  defineSetting({
    key: 'env.app_secret_keys',
    scope: 'app',
    group: 'Env protection',
    type: envKeyPatternListType(200),
    default: [],
    description: "This app's secret env keys, on top of `env.secret_keys`.",
    readBy: 'rack proxy, env reads and writes',
  }),
  defineSetting({
    key: 'env.app_protected_keys',
    scope: 'app',
    group: 'Env protection',
    type: envKeyPatternListType(200),
    default: [],
    description: "This app's protected env keys (nobody may change them), on top of `env.protected_keys`.",
    readBy: 'rack proxy, env writes',
  }),
  defineSetting({
    key: 'deploy.approved_commands',
    scope: 'app',
    group: 'Deploy approvals',
    type: stringListType(100, 1000),
    default: [],
    description:
      'Commands an approval-gated token may run or exec (exact match after trimming). Empty allows none. `convox run` first starts `sleep 3600` (or `sleep <timeout>`), so list that too to use it.',
    readBy: 'rack proxy deploy gate (process start and exec under an approval)',
  }),
  defineSetting({
    key: 'deploy.service_image_patterns',
    scope: 'app',
    group: 'Deploy approvals',
    type: patternMapType(100, 500),
    default: {},
    description:
      'Per service (or `*` for the rest), a regular expression the image in convox.yml must match in full; `{{GIT_COMMIT}}` stands for the approved commit.',
    readBy: 'rack proxy deploy gate (build under an approval, against the uploaded manifest)',
  }),
  defineSetting({
    key: 'vcs.repo',
    scope: 'app',
    group: 'CI and VCS',
    type: stringType(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/repository', 200),
    default: '',
    description:
      'The repository the app is built from, as owner/repository; commits in approvals are checked against it.',
    readBy: APPROVALS_NOT_BUILT,
  }),
  defineSetting({
    key: 'ci.provider',
    scope: 'app',
    group: 'CI and VCS',
    type: enumType(['none', 'circleci']),
    default: 'none',
    description: 'The CI service that deploys the app; an approval can release its waiting job.',
    readBy: APPROVALS_NOT_BUILT,
  }),
  defineSetting({
    key: 'ci.api_token',
    scope: 'app',
    group: 'CI and VCS',
    type: stringType(/^[A-Za-z0-9_.:+/=-]{8,}$/, 'a token of letters, digits and _.:+/=-', 512),
    default: '',
    description:
      "Token for the CI provider's API (to release the waiting job after an approval). Write-only.",
    readBy: APPROVALS_NOT_BUILT,
    sensitive: true,
  }),
] as const;
