import type { ConvoxRoute } from '../../rbac/convox-routes';

/**
 * The rack calls a deploy is made of, which a token holding `convox:deploy:deploy_with_approval` (and not
 * the route's own permission) may make under an approved deploy request. Every other route stays refused
 * for such a token. Each step names the route it covers by method and pattern of the route table, so a
 * renamed pattern fails the unit test instead of silently un-gating a step.
 */
export type DeployStepKind =
  | 'object-upload'
  | 'build-create'
  | 'build-import'
  | 'build-read'
  | 'build-logs'
  | 'release-read'
  | 'process-start'
  | 'process-exec'
  | 'process-terminate'
  | 'release-promote';

export interface DeployStepDefinition {
  readonly kind: DeployStepKind;
  readonly method: string;
  readonly pattern: string;
  /** What the step does, in the words a refusal uses ("create a build"). */
  readonly doing: string;
}

// prettier-ignore
export const DEPLOY_STEPS: readonly DeployStepDefinition[] = [
  { kind: 'object-upload',     method: 'POST',   pattern: '/apps/:app/objects/*key',               doing: 'upload source' },
  { kind: 'build-create',      method: 'POST',   pattern: '/apps/:app/builds',                     doing: 'create a build' },
  { kind: 'build-import',      method: 'POST',   pattern: '/apps/:app/builds/import',              doing: 'import a build' },
  { kind: 'build-read',        method: 'GET',    pattern: '/apps/:app/builds/:id',                 doing: 'read build' },
  { kind: 'build-logs',        method: 'SOCKET', pattern: '/apps/:app/builds/:id/logs',            doing: 'read the logs of build' },
  { kind: 'release-read',      method: 'GET',    pattern: '/apps/:app/releases/:id',               doing: 'read release' },
  { kind: 'process-start',     method: 'POST',   pattern: '/apps/:app/services/:service/processes', doing: 'start a process' },
  { kind: 'process-exec',      method: 'SOCKET', pattern: '/apps/:app/processes/:pid/exec',        doing: 'exec into process' },
  { kind: 'process-terminate', method: 'DELETE', pattern: '/apps/:app/processes/:pid',             doing: 'stop process' },
  { kind: 'release-promote',   method: 'POST',   pattern: '/apps/:app/releases/:id/promote',       doing: 'promote release' },
];

/** One gated call: the step, the app, and the id the path names (build, release or process), if any. */
export interface DeployStep {
  readonly kind: DeployStepKind;
  readonly app: string;
  /** Build id, release id or process id from the path; absent for uploads, build creation and process start. */
  readonly target?: string;
  /** The object key of an upload (`tmp/<hex>.tgz`). */
  readonly objectKey?: string;
  readonly service?: string;
}

/** Source uploads land under `tmp/`, which is where the convox CLI puts them; other keys are not deploys. */
const SOURCE_OBJECT_KEY = /^tmp\/[A-Za-z0-9._-]{1,200}$/;

/**
 * The deploy step a matched route is, or null when the route is not one (or its parameters are not
 * what a deploy sends). `method` is the matched method (`SOCKET` for websocket upgrades).
 */
export function deployStepOf(
  route: ConvoxRoute,
  method: string,
  params: Readonly<Record<string, string>>,
): DeployStep | null {
  const definition = DEPLOY_STEPS.find((step) => step.method === method && step.pattern === route.pattern);
  const app = params.app;
  if (!definition || !app) return null;
  switch (definition.kind) {
    case 'object-upload':
      return SOURCE_OBJECT_KEY.test(params.key ?? '')
        ? { kind: definition.kind, app, objectKey: params.key }
        : null;
    case 'build-create':
    case 'build-import':
      return { kind: definition.kind, app };
    case 'process-start':
      return { kind: definition.kind, app, service: params.service };
    case 'build-read':
    case 'build-logs':
    case 'release-read':
    case 'release-promote':
      return { kind: definition.kind, app, target: params.id };
    case 'process-exec':
    case 'process-terminate':
      return { kind: definition.kind, app, target: params.pid };
  }
}

export function deployStepDefinition(kind: DeployStepKind): DeployStepDefinition {
  return DEPLOY_STEPS.find((step) => step.kind === kind)!;
}
