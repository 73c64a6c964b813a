import type { Build, Release, Service } from './rack-types';
import type { AppRecord, RackState } from './rack-state';
import { RackError } from '../http/rack-error';
import { describeEnvChange } from './env-text';
import { newBuildId, newReleaseId, randomHex } from './convox-ids';
import { rfc3339, ZERO_TIME } from './rack-time';
import { RACK_DOMAIN } from './seed-apps';

/** The manifest a build of an app without history produces (the mock does not read the tarball). */
const DEFAULT_MANIFEST = `services:
  web:
    build: .
    port: 3000
`;

export interface ReleaseOptions {
  build?: string;
  description?: string;
  env?: string;
  parentRelease?: string;
}

/**
 * `POST /apps/{app}/releases`: env is stored verbatim; build and manifest come from the named build or the
 * parent (explicit or latest) release; the description says which env keys changed.
 */
export function createRelease(state: RackState, record: AppRecord, options: ReleaseOptions): Release {
  const parent = options.parentRelease
    ? state.requireRelease(record, options.parentRelease)
    : record.releases[0];
  const build = options.build ? state.requireBuild(record, options.build) : undefined;
  const env = options.env ?? parent?.env ?? '';
  const description =
    options.description ||
    (options.env !== undefined ? describeEnvChange(parent?.env ?? '', env) : undefined) ||
    build?.description ||
    '';
  const release: Release = {
    id: newReleaseId(),
    app: record.app.name,
    build: build?.id ?? parent?.build ?? '',
    env,
    manifest: build?.manifest ?? parent?.manifest ?? '',
    description,
    created: rfc3339(new Date()),
  };
  record.releases.unshift(release);
  return release;
}

/**
 * Promote answers once the release is applied; the app then reports `updating` for a moment while the
 * pods roll, which is what the CLI's wait loop expects to see end.
 */
export function promoteRelease(state: RackState, record: AppRecord, id: string, force: boolean): void {
  if (record.app.status !== 'running' && !force) throw RackError.forbidden('app is currently updating');
  const release = state.requireRelease(record, id);
  if (!release.manifest) throw RackError.badRequest(`release ${id} has no manifest`);
  const active = record.releases.find((r) => r.id === record.app.release);
  if (active && release.created < active.created) {
    throw RackError.badRequest('can not promote an older release, try rollback');
  }
  record.app.release = id;
  beginUpdate(state, record, () => {
    for (const service of record.services) record.fleet.rollout(service, id);
  });
}

export interface ScaleOptions {
  count?: number;
  cpu?: number;
  memory?: number;
  gpu?: number;
  gpuVendor?: string;
  min?: number;
  max?: number;
}

export function scaleService(
  state: RackState,
  record: AppRecord,
  service: Service,
  options: ScaleOptions,
): void {
  const resized =
    (options.cpu ?? service.cpu) !== service.cpu || (options.memory ?? service.memory) !== service.memory;
  if (options.count !== undefined) service.count = options.count;
  if (options.cpu !== undefined) service.cpu = options.cpu;
  if (options.memory !== undefined) service.memory = options.memory;
  if (options.gpu !== undefined) service.gpu = options.gpu;
  if (options.gpuVendor !== undefined) service['gpu-vendor'] = options.gpuVendor;
  if (options.min !== undefined) service.min = options.min;
  if (options.max !== undefined) service.max = options.max;
  if (resized) record.fleet.rollout(service, record.app.release);
  else record.fleet.resize(service, record.app.release);
  beginUpdate(state, record, () => undefined);
}

export function restartService(record: AppRecord, service: Service): void {
  record.fleet.rollout(service, record.app.release);
}

function beginUpdate(state: RackState, record: AppRecord, whenRolledOut: () => void): void {
  record.app.status = 'updating';
  state.later(state.timings.promoteDelayMs, () => {
    whenRolledOut();
    if (record.app.status === 'updating') record.app.status = 'running';
  });
}

export interface BuildOptions {
  description?: string;
  gitSha?: string;
  manifest?: string;
  /** False when the `url` names an object that is not in the store: the build then fails. */
  sourceAvailable: boolean;
}

/** created now, running a moment later, complete (with a promotable release) after buildDelayMs. */
export function startBuild(state: RackState, record: AppRecord, options: BuildOptions): Build {
  const build = newBuild(record, options.description ?? '', options.gitSha ?? '');
  record.builds.unshift(build);
  const { buildDelayMs } = state.timings;
  state.later(Math.min(100, buildDelayMs / 2), () => {
    if (build.status === 'created') build.status = 'running';
  });
  state.later(buildDelayMs, () => {
    if (!options.sourceAvailable) {
      build.status = 'failed';
      build.reason = 'source object not found';
      build.ended = rfc3339(new Date());
      return;
    }
    completeBuild(state, record, build);
  });
  return build;
}

/** `builds import`: the archive is taken as it is, so the build is complete at once. */
export function importBuild(state: RackState, record: AppRecord): Build {
  const build = newBuild(record, 'imported build', '');
  record.builds.unshift(build);
  completeBuild(state, record, build);
  return build;
}

function completeBuild(state: RackState, record: AppRecord, build: Build): void {
  build.manifest = record.releases.find((r) => r.manifest)?.manifest ?? DEFAULT_MANIFEST;
  build.status = 'complete';
  build.ended = rfc3339(new Date());
  build.release = createRelease(state, record, { build: build.id }).id;
}

function newBuild(record: AppRecord, description: string, gitSha: string): Build {
  const id = newBuildId();
  return {
    id,
    app: record.app.name,
    description,
    entrypoint: '',
    'git-sha': gitSha,
    logs: '',
    manifest: '',
    process: `build-${randomHex(4)}`,
    release: '',
    reason: '',
    repository: `123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-rack/${record.app.name}`,
    status: 'created',
    started: rfc3339(new Date()),
    ended: ZERO_TIME,
  };
}

const APP_NAME = /^[a-z][a-z0-9-]*$/;

/** k8s creates the namespace and promotes an empty first release before answering. */
export function createApp(state: RackState, name: string): AppRecord {
  if (!APP_NAME.test(name)) throw RackError.badRequest(`invalid app name: ${name}`);
  if (state.apps.has(name)) throw new RackError(409, `app already exists: ${name}`);
  const release: Release = {
    id: newReleaseId(),
    app: name,
    build: '',
    env: '',
    manifest: '',
    description: '',
    created: rfc3339(new Date()),
  };
  return state.addApp({
    app: {
      generation: '3',
      locked: false,
      name,
      release: release.id,
      router: `router.${RACK_DOMAIN}`,
      status: 'running',
      parameters: {},
    },
    services: [],
    releases: [release],
    builds: [],
    resources: [],
    budget: { config: null, state: null },
    commands: {},
  });
}
