import { exceptionsOf, type PromoteEvidence } from './deployment-exceptions';

const at = new Date('2026-12-01T10:00:00Z');
const clean: PromoteEvidence = {
  succeeded: true,
  actorType: 'token',
  at,
  releaseId: 'R1',
  approval: {
    gitCommit: 'a'.repeat(40),
    releaseId: 'R1',
    expiresAt: new Date(at.getTime() + 60_000),
    createdByUserId: 'deployer',
    targetTokenOwnerId: 'deployer',
    approvedByUserId: 'admin',
    approverActorTypes: ['user'],
    commitsSeen: ['a'.repeat(40)],
  },
};
const withApproval = (change: Partial<NonNullable<PromoteEvidence['approval']>>): PromoteEvidence => ({
  ...clean,
  approval: { ...clean.approval!, ...change },
});

describe('deployment exceptions', () => {
  it('finds none in an approved deploy that followed the rules', () => {
    expect(exceptionsOf(clean)).toEqual([]);
  });

  it('names each departure from the rules', () => {
    expect(exceptionsOf({ ...clean, actorType: 'user', approval: undefined })).toEqual([
      'unapproved_deploy_by_person',
    ]);
    expect(exceptionsOf({ ...clean, approval: undefined })).toEqual(['unapproved_deploy_by_token']);
    expect(exceptionsOf(withApproval({ approvedByUserId: 'deployer' }))).toEqual(['self_approved']);
    expect(exceptionsOf(withApproval({ expiresAt: new Date(at.getTime() - 1) }))).toEqual([
      'promoted_after_expiry',
    ]);
    expect(exceptionsOf(withApproval({ commitsSeen: ['b'.repeat(40)] }))).toEqual(['commit_mismatch']);
    expect(exceptionsOf(withApproval({ releaseId: 'R2' }))).toEqual(['release_mismatch']);
    expect(exceptionsOf(withApproval({ approverActorTypes: ['token'] }))).toEqual(['approved_by_token']);
  });

  it('counts a shortened commit as a mismatch: approvals bind the full commit', () => {
    expect(exceptionsOf(withApproval({ commitsSeen: ['aaaaaaa'] }))).toEqual(['commit_mismatch']);
  });

  it('raises nothing for a promote that did not happen', () => {
    expect(exceptionsOf({ ...clean, succeeded: false, approval: undefined })).toEqual([]);
  });
});
