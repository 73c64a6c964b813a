import { mfaCodeOf, mfaProofOf } from './mfa-request';

describe('what an MFA-carrying request sends', () => {
  it('reads the passkey proof from X-MFA-Proof, trimmed, the first of repeated headers', () => {
    expect(mfaProofOf({ 'x-mfa-proof': ' rgw_mfap_abc ' })).toBe('rgw_mfap_abc');
    expect(mfaProofOf({ 'x-mfa-proof': ['rgw_mfap_first', 'rgw_mfap_second'] as unknown as string })).toBe(
      'rgw_mfap_first',
    );
  });

  it('has no proof when the header is absent or blank', () => {
    expect(mfaProofOf({})).toBeUndefined();
    expect(mfaProofOf({ 'x-mfa-proof': '   ' })).toBeUndefined();
  });

  it('keeps the code and the proof apart', () => {
    const headers = { 'x-mfa-code': '123456', 'x-mfa-proof': 'rgw_mfap_p' };
    expect(mfaCodeOf(headers, undefined)).toBe('123456');
    expect(mfaProofOf(headers)).toBe('rgw_mfap_p');
  });
});
