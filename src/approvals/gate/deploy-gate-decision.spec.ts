import { judgeDeployStep, lookupFor, type GateAppSettings } from './deploy-gate-decision';
import type { DeployStep } from './deploy-steps';
import type { GateApproval } from './gate-approval';
import type { GateUpload } from './gate-upload';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const NOW = new Date('2026-12-02T01:00:00Z');
const LATER = new Date('2026-12-02T01:10:00Z');
const EARLIER = new Date('2026-12-02T00:50:00Z');

const approval = (over: Partial<GateApproval> = {}): GateApproval => ({
  id: 'a1b2',
  status: 'approved',
  app: 'myapp',
  gitCommit: SHA,
  expiresAt: LATER,
  approvedAt: EARLIER,
  deployedAt: null,
  objectUrl: null,
  buildId: null,
  releaseId: null,
  processIds: [],
  ...over,
});
const settings = (over: Partial<GateAppSettings> = {}): GateAppSettings => ({
  approvedCommands: ['sleep 3600', 'bin/migrate'],
  imagePatterns: {},
  ...over,
});
const URL = 'object://myapp/tmp/x.tgz';
const upload = (over: Partial<GateUpload> = {}): GateUpload => ({
  id: 'u1',
  objectUrl: URL,
  startedAt: NOW,
  startedBeforeApproval: false,
  approvalRequestId: null,
  inspection: { manifests: { 'convox.yml': { web: null } } },
  ...over,
});
const step = (kind: DeployStep['kind'], target?: string): DeployStep => ({ kind, app: 'myapp', target });

function judge(
  s: DeployStep,
  found: GateApproval | null,
  facts = {},
  set = settings(),
  source?: GateUpload | null,
) {
  const lookup = lookupFor(s, facts);
  if ('refuse' in lookup) return { allow: false as const, error: lookup.refuse };
  return judgeDeployStep(s, lookup, found, facts, set, NOW, source);
}

describe('judgeDeployStep', () => {
  it('names the app and commit when no request matches a build', () => {
    expect(judge(step('build-create'), null, { gitSha: SHA })).toEqual({
      allow: false,
      error: `no approved deploy request for myapp at ${SHA}`,
    });
  });

  it('refuses a build without a full git-sha before looking anything up', () => {
    expect(judge(step('build-create'), approval(), {}).allow).toBe(false);
    expect(judge(step('build-create'), approval(), { gitSha: SHA.slice(0, 7) })).toEqual({
      allow: false,
      error: `git-sha "${SHA.slice(0, 7)}" is not a full 40-character lower-case commit`,
    });
  });

  it('says a pending request waits for approval', () => {
    const verdict = judge(step('object-upload'), approval({ status: 'pending' }));
    expect(verdict).toEqual({
      allow: false,
      approvalId: 'a1b2',
      error: `deploy request a1b2 for myapp at ${SHA} is pending: nobody has approved it yet`,
    });
  });

  it('says when an approval expired, whether or not the expiry was persisted yet', () => {
    for (const status of ['approved', 'expired'] as const) {
      const verdict = judge(step('object-upload'), approval({ status, expiresAt: EARLIER }));
      expect(verdict.allow).toBe(false);
      if (!verdict.allow)
        expect(verdict.error).toBe(
          `approval expired at ${EARLIER.toISOString()} (deploy request a1b2 for myapp at ${SHA})`,
        );
    }
  });

  it('refuses everything after the deploy', () => {
    const deployed = approval({
      status: 'deployed',
      releaseId: 'RABC',
      deployedAt: EARLIER,
      buildId: 'BABC',
    });
    for (const s of [
      step('build-read', 'BABC'),
      step('release-promote', 'RABC'),
      step('process-terminate', 'p1'),
    ]) {
      const verdict = judge(s, deployed);
      expect(verdict.allow).toBe(false);
      if (!verdict.allow)
        expect(verdict.error).toMatch(
          /^this approval was already used: deploy request a1b2 .* deployed release RABC/,
        );
    }
  });

  it('allows uploads while the approval has no build, bound to no request', () => {
    expect(judge(step('object-upload'), approval())).toMatchObject({ allow: true, tracking: 'upload' });
    // an approval that already has an upload (old scheme) still allows new uploads until it is built
    expect(judge(step('object-upload'), approval({ objectUrl: URL }))).toMatchObject({ allow: true });
    expect(judge(step('object-upload'), approval({ objectUrl: URL, buildId: 'BXYZ' }))).toMatchObject({
      allow: false,
      error:
        'this approval was already used for build BXYZ (deploy request a1b2); request a new approval to build again',
    });
  });

  it('builds an upload of the token under the approval its commit names, binding it', () => {
    const facts = { gitSha: SHA, buildUrl: URL };
    const verdict = judge(step('build-create'), approval(), facts, settings(), upload());
    expect(verdict).toMatchObject({ allow: true, tracking: 'build', upload: { id: 'u1', objectUrl: URL } });
    // bound to this request already (a source recorded before uploads were bound at build time)
    expect(
      judge(step('build-create'), approval(), facts, settings(), upload({ approvalRequestId: 'a1b2' })),
    ).toMatchObject({ allow: true });
    // a request given another upload when uploads were bound at upload time builds only that one
    expect(
      judge(
        step('build-create'),
        approval({ objectUrl: 'object://myapp/tmp/old.tgz' }),
        facts,
        settings(),
        upload(),
      ),
    ).toMatchObject({
      allow: false,
      error: `deploy request a1b2 was given source object://myapp/tmp/old.tgz when it was uploaded, so it builds only that source, not ${URL}; build that url, or request a new approval`,
    });
    const built = approval({ objectUrl: URL, buildId: 'BXYZ' });
    expect(judge(step('build-create'), built, facts, settings(), upload())).toMatchObject({
      allow: false,
      error:
        'this approval was already used for build BXYZ (deploy request a1b2); request a new approval to build again',
    });
  });

  it('refuses a build of a url that is no upload of this token for the app', () => {
    const verdict = judge(
      step('build-create'),
      approval(),
      { gitSha: SHA, buildUrl: 'object://myapp/tmp/other.tgz' },
      settings(),
      null,
    );
    expect(verdict).toEqual({
      allow: false,
      approvalId: 'a1b2',
      error:
        "the build's source object://myapp/tmp/other.tgz is not an upload this token made for myapp through the gateway; upload the source and build it in the same run (convox build does both) to use deploy request a1b2",
    });
  });

  it('refuses an upload another request built, and one made before the approval', () => {
    const facts = { gitSha: SHA, buildUrl: URL };
    expect(
      judge(step('build-create'), approval(), facts, settings(), upload({ approvalRequestId: 'other' })),
    ).toMatchObject({
      allow: false,
      error: `source ${URL} was already built under deploy request other; upload the source again to build it under deploy request a1b2 (convox build does both)`,
    });
    expect(
      judge(
        step('build-create'),
        approval(),
        facts,
        settings(),
        upload({ startedAt: EARLIER, startedBeforeApproval: true }),
      ),
    ).toMatchObject({
      allow: false,
      error: `source ${URL} was uploaded at ${EARLIER.toISOString()}, before deploy request a1b2 was approved at ${EARLIER.toISOString()}; upload the source again to build it under this approval (convox build does both)`,
    });
  });

  it('checks image patterns against the manifests of the upload the build names, naming the service', () => {
    const facts = { gitSha: SHA, buildUrl: URL };
    const patterns = settings({ imagePatterns: { web: 'r/web:{{GIT_COMMIT}}' } });
    const good = upload({ inspection: { manifests: { 'convox.yml': { web: `r/web:${SHA}` } } } });
    const bad = upload({ inspection: { manifests: { 'convox.yml': { web: 'r/web:latest' } } } });
    expect(judge(step('build-create'), approval(), facts, patterns, good)).toMatchObject({ allow: true });
    expect(judge(step('build-create'), approval(), facts, patterns, bad)).toMatchObject({
      allow: false,
      error: `build refused by the image patterns of myapp: service web image "r/web:latest" does not match "r/web:${SHA}"`,
    });
    expect(
      judge(step('build-create'), approval(), { ...facts, manifest: 'convox.staging.yml' }, patterns, good),
    ).toMatchObject({
      allow: false,
      error:
        'build refused by the image patterns of myapp: the uploaded source has no readable convox.staging.yml',
    });
    expect(judge(step('build-import'), approval(), {}, patterns)).toMatchObject({ allow: false });
  });

  it('starts processes only on the approved release with an approved command', () => {
    const released = approval({ objectUrl: 'o', buildId: 'B1', releaseId: 'R1' });
    expect(judge(step('process-start'), released, { command: 'sleep 3600' })).toMatchObject({
      allow: false,
      error:
        'a process started under a deploy approval must run the approved release (convox run --release <release>)',
    });
    expect(judge(step('process-start'), released, { command: 'sleep 3600', release: 'R1' })).toMatchObject({
      allow: true,
      tracking: 'process',
      command: 'sleep 3600',
    });
    expect(judge(step('process-start'), released, { command: 'bash', release: 'R1' })).toMatchObject({
      allow: false,
      error:
        'command not allowed under a deploy approval: command "bash" is not in the approved deploy commands of myapp',
    });
    expect(
      judge(
        step('process-exec', 'p1'),
        released,
        { command: 'bin/migrate' },
        settings({ approvedCommands: [] }),
      ),
    ).toMatchObject({
      allow: false,
      error:
        'command not allowed under a deploy approval: no commands are approved for myapp (the deploy.approved_commands setting is empty)',
    });
  });

  it('records the release a finished build names, once', () => {
    expect(judge(step('build-read', 'B1'), approval({ buildId: 'B1' }))).toMatchObject({
      allow: true,
      tracking: 'build-release',
    });
    expect(judge(step('build-read', 'B1'), approval({ buildId: 'B1', releaseId: 'R1' }))).toMatchObject({
      allow: true,
      tracking: 'none',
    });
  });

  it('names what the path asked for when nothing tracks it', () => {
    expect(judge(step('release-promote', 'R9'), null)).toEqual({
      allow: false,
      error: 'no approved deploy request for myapp covers release R9',
    });
    expect(judge(step('process-exec', 'p9'), null, { command: 'x' })).toEqual({
      allow: false,
      error: 'no approved deploy request for myapp covers process p9 (only processes it started)',
    });
  });
});
