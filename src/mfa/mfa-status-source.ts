/**
 * Where the access review reads each user's MFA state (the MFA module provides it). A user the source
 * does not answer for is reported `unknown`, never `enrolled`: an auditor must not be told of a second
 * factor nobody checked.
 */
export type MfaStatus = 'enrolled' | 'not_enrolled' | 'unknown' | 'not_applicable';

export abstract class MfaStatusSource {
  abstract statusOf(userIds: readonly string[]): Promise<Map<string, MfaStatus>>;
}
