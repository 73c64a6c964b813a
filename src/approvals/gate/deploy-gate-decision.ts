import { judgeCommand } from './approved-commands';
import { refusals } from './deploy-gate-refusals';
import type { DeployStep } from './deploy-steps';
import { isUsable, type GateApproval } from './gate-approval';
import type { GateUpload } from './gate-upload';
import { checkServiceImages } from './image-patterns';

/** Which request a step is about: found by what the call names (commit, build, release, process). */
export type GateLookup =
  | { kind: 'upload' }
  | { kind: 'import' }
  | { kind: 'commit'; gitCommit: string }
  | { kind: 'build'; buildId: string }
  | { kind: 'release'; releaseId: string }
  | { kind: 'process'; processId: string };

/** What the call says about itself, beyond its path. */
export interface GateCallFacts {
  /** Build form: `git-sha`, `url`, `manifest`. */
  gitSha?: string;
  buildUrl?: string;
  manifest?: string;
  /** Process start and exec: the `Command` header; process start: the `Release` header. */
  command?: string;
  release?: string;
}

/** The app's settings the gate applies. */
export interface GateAppSettings {
  approvedCommands: readonly string[];
  imagePatterns: Readonly<Record<string, string>>;
}

/**
 * What the call, once forwarded, records: a source upload of the token for the app (bound to no request
 * yet); on the request, the build with the upload it was made from (and its release if the answer has
 * one), the release a finished build names, a started process, an exec'd command, or the deploy itself.
 */
export type GateTracking = 'upload' | 'build' | 'build-release' | 'process' | 'exec' | 'deploy' | 'none';

export type GateVerdict =
  | { allow: true; approval: GateApproval; tracking: GateTracking; command?: string; upload?: GateUpload }
  | { allow: false; error: string; approvalId?: string };

const FULL_COMMIT = /^[0-9a-f]{40}$/;

/** How to find the request for `step`, or the refusal when the call lacks what finding it needs. */
export function lookupFor(step: DeployStep, facts: GateCallFacts): GateLookup | { refuse: string } {
  switch (step.kind) {
    case 'object-upload':
      return { kind: 'upload' };
    case 'build-import':
      return { kind: 'import' };
    case 'build-create': {
      const sha = facts.gitSha?.trim() ?? '';
      if (sha === '') return { refuse: refusals.noCommit() };
      if (!FULL_COMMIT.test(sha)) return { refuse: refusals.badCommit(sha) };
      return { kind: 'commit', gitCommit: sha };
    }
    case 'build-read':
    case 'build-logs':
      return { kind: 'build', buildId: step.target! };
    case 'release-read':
    case 'release-promote':
      return { kind: 'release', releaseId: step.target! };
    case 'process-start': {
      const release = facts.release?.trim() ?? '';
      return release === '' ? { refuse: refusals.noRelease() } : { kind: 'release', releaseId: release };
    }
    case 'process-exec':
    case 'process-terminate':
      return { kind: 'process', processId: step.target! };
  }
}

/**
 * The gate's decision for one call, given the request the lookup found (any state, or none) and, for a
 * build, the upload of this token for this app its `url` names (or none). Pure: the gate runs it inside
 * the transaction that holds the request's row (and the upload's). An upload is allowed while the token
 * has an approved, unexpired request for the app with no build yet, and is bound to none: the build binds
 * it to the request its commit names.
 */
export function judgeDeployStep(
  step: DeployStep,
  lookup: GateLookup,
  approval: GateApproval | null,
  facts: GateCallFacts,
  settings: GateAppSettings,
  now: Date,
  upload?: GateUpload | null,
): GateVerdict {
  if (!approval) return { allow: false, error: noRequestText(step, lookup) };
  const refuse = (error: string): GateVerdict => ({ allow: false, error, approvalId: approval.id });
  if (!isUsable(approval, now)) return refuse(refusals.notUsable(approval, now));
  const allow = (tracking: GateTracking, command?: string): GateVerdict => ({
    allow: true,
    approval,
    tracking,
    ...(command !== undefined ? { command } : {}),
    ...(tracking === 'build' && upload ? { upload } : {}),
  });

  switch (step.kind) {
    case 'object-upload':
      // The lookup found an unbuilt approval if the token has one; else this one names why not.
      if (approval.buildId) return refuse(refusals.buildUsed(approval));
      return allow('upload');
    case 'build-import':
      if (approval.buildId) return refuse(refusals.buildUsed(approval));
      if (Object.keys(settings.imagePatterns).length > 0)
        return refuse(refusals.importWithPatterns(step.app));
      return allow('build');
    case 'build-create': {
      if (approval.buildId) return refuse(refusals.buildUsed(approval));
      if (!upload) return refuse(refusals.unknownSource(step.app, approval, facts.buildUrl ?? ''));
      if (upload.approvalRequestId !== null && upload.approvalRequestId !== approval.id)
        return refuse(refusals.sourceBuilt(upload, approval));
      if (upload.startedBeforeApproval) return refuse(refusals.sourceBeforeApproval(upload, approval));
      // A request given its upload when uploads were still bound at upload time builds that one only.
      if (approval.objectUrl !== null && approval.objectUrl !== upload.objectUrl)
        return refuse(refusals.otherSource(approval, upload.objectUrl));
      const imageProblem = imageRefusal(step.app, facts.manifest, settings, approval, upload);
      return imageProblem ? refuse(imageProblem) : allow('build');
    }
    case 'build-read':
      return allow(approval.releaseId ? 'none' : 'build-release');
    case 'build-logs':
    case 'release-read':
    case 'process-terminate':
      return allow('none');
    case 'release-promote':
      return allow('deploy');
    case 'process-start': {
      const verdict = judgeCommand(step.app, facts.command, settings.approvedCommands);
      return verdict.allowed ? allow('process', verdict.command) : refuse(refusals.command(verdict.reason));
    }
    case 'process-exec': {
      const verdict = judgeCommand(step.app, facts.command, settings.approvedCommands);
      return verdict.allowed ? allow('exec', verdict.command) : refuse(refusals.command(verdict.reason));
    }
  }
}

function imageRefusal(
  app: string,
  manifestField: string | undefined,
  settings: GateAppSettings,
  approval: GateApproval,
  upload: GateUpload,
): string | undefined {
  if (Object.keys(settings.imagePatterns).length === 0) return undefined;
  const manifest = (manifestField?.trim() || 'convox.yml').replace(/^(\.\/)+/, '');
  const services = upload.inspection.manifests[manifest];
  if (!services) return refusals.noManifest(app, manifest, upload.inspection.problem);
  const verdict = checkServiceImages(services, settings.imagePatterns, approval.gitCommit);
  return verdict.ok ? undefined : refusals.images(app, verdict.reason);
}

function noRequestText(step: DeployStep, lookup: GateLookup): string {
  switch (lookup.kind) {
    case 'upload':
    case 'import':
      return refusals.noRequest(step.app);
    case 'commit':
      return refusals.noRequest(step.app, lookup.gitCommit);
    case 'build':
      return refusals.notTracked(step.app, `build ${lookup.buildId}`);
    case 'release':
      return refusals.notTracked(step.app, `release ${lookup.releaseId}`);
    case 'process':
      return refusals.notTracked(step.app, `process ${lookup.processId} (only processes it started)`);
  }
}
