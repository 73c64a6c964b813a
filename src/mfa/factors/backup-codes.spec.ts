import { BACKUP_CODE_COUNT, newBackupCodes, normalizeBackupCode } from './backup-codes';
import { currentTotpCode, matchTotpStep, newTotpSecret, TOTP_PERIOD_SECONDS } from './totp';

describe('backup codes', () => {
  it('issues ten distinct codes that normalise back to themselves', () => {
    const codes = newBackupCodes();
    expect(codes).toHaveLength(BACKUP_CODE_COUNT);
    expect(new Set(codes).size).toBe(BACKUP_CODE_COUNT);
    for (const code of codes) expect(normalizeBackupCode(code)).toBe(code.replace('-', ''));
  });

  it('ignores case, dashes and spaces when a code is typed back, and refuses other shapes', () => {
    expect(normalizeBackupCode('abcde-fghjk')).toBe('ABCDEFGHJK');
    expect(normalizeBackupCode(' ABC DE FGH-JK ')).toBe('ABCDEFGHJK');
    expect(normalizeBackupCode('123456')).toBeUndefined();
    expect(normalizeBackupCode('ABCDE-FGHJ0')).toBeUndefined();
  });
});

describe('TOTP', () => {
  const secret = newTotpSecret();
  const t = 1_800_000_000_000;
  const step = Math.floor(t / 1000 / TOTP_PERIOD_SECONDS);

  it('accepts the current code and the neighbouring steps, naming the step', () => {
    expect(matchTotpStep(secret, currentTotpCode(secret, t), t)).toBe(step);
    expect(matchTotpStep(secret, currentTotpCode(secret, t - 30_000), t)).toBe(step - 1);
    expect(matchTotpStep(secret, currentTotpCode(secret, t + 30_000), t)).toBe(step + 1);
  });

  it('refuses codes two steps away and malformed input', () => {
    expect(matchTotpStep(secret, currentTotpCode(secret, t - 60_000), t)).toBeUndefined();
    expect(matchTotpStep(secret, '12345', t)).toBeUndefined();
    expect(matchTotpStep(secret, 'abcdef', t)).toBeUndefined();
  });
});
