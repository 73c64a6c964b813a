import { abnormalEndMessage, isInBandError, isNormalClose } from './stream-end';

describe('stream end', () => {
  it('recognises the in-band error line a rack or the gateway sends', () => {
    expect(isInBandError(Buffer.from('ERROR: permission denied: convox:process:exec\n'))).toBe(true);
    expect(isInBandError(Buffer.from('[pod/web-1] ERROR: not ours\n'))).toBe(false);
    expect(isInBandError(Buffer.from('ERR'))).toBe(false);
  });

  it('treats only normal closures as a clean end', () => {
    expect([1000, 1001, 1005].every(isNormalClose)).toBe(true);
    expect([1006, 1011, 4401, 4403].some(isNormalClose)).toBe(false);
  });

  it('prefers the in-band message, then the close reason, then says what the code means', () => {
    const line = Buffer.from('ERROR: token revoked\n');
    expect(abnormalEndMessage(line, 4401, 'token revoked')).toBe('token revoked');
    expect(abnormalEndMessage(undefined, 1011, 'rack connection lost')).toBe('rack connection lost');
    expect(abnormalEndMessage(undefined, 1006, '')).toMatch(/connection to the gateway was lost/);
    expect(abnormalEndMessage(undefined, 4000, '')).toMatch(/close code 4000/);
  });
});
