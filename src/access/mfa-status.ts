/**
 * Where the access review reads each user's MFA state. Until an MFA module provides its own (bind
 * `MfaStatusSource` to it), every user is reported `unknown`: the gateway cannot vouch for a second
 * factor it does not manage, and an auditor must not read `unknown` as `enrolled`.
 */
export type MfaStatus = 'enrolled' | 'not_enrolled' | 'unknown' | 'not_applicable';

export abstract class MfaStatusSource {
  abstract statusOf(userIds: readonly string[]): Promise<Map<string, MfaStatus>>;
}

export class UnknownMfaStatus extends MfaStatusSource {
  statusOf(): Promise<Map<string, MfaStatus>> {
    return Promise.resolve(new Map());
  }
}
