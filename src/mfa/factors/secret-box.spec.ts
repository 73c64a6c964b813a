import { randomBytes } from 'node:crypto';
import { mfaKeyFrom, SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const oldKey = mfaKeyFrom(randomBytes(32));
  const newKey = mfaKeyFrom(randomBytes(32));

  it('seals with a fresh IV and opens under the same context', () => {
    const box = new SecretBox(newKey);
    const a = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    const b = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(a.startsWith(`v1:${newKey.id}:`)).toBe(true);
    expect(box.open(a, 'user-1')).toEqual({ plaintext: 'JBSWY3DPEHPK3PXP', stale: false });
  });

  it('refuses a ciphertext moved to another user, or tampered with', () => {
    const box = new SecretBox(newKey);
    const sealed = box.seal('secret', 'user-1');
    expect(() => box.open(sealed, 'user-2')).toThrow(SecretBoxError);
    const parts = sealed.split(':');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join(':'), 'user-1')).toThrow(SecretBoxError);
  });

  it('reads values sealed with the previous key after a rotation and marks them stale', () => {
    const sealedBefore = new SecretBox(oldKey).seal('secret', 'user-1');
    const rotated = new SecretBox(newKey, oldKey);
    expect(rotated.open(sealedBefore, 'user-1')).toEqual({ plaintext: 'secret', stale: true });
    expect(() => new SecretBox(newKey).open(sealedBefore, 'user-1')).toThrow(/unknown MFA key/);
  });

  it('keeps keyed hashes stable per key and tagged with the key id', () => {
    const rotated = new SecretBox(newKey, oldKey);
    const [current, previous] = rotated.keyedHashes('ABCD-1234', 'backup-code');
    expect(current.startsWith(`${newKey.id}:`)).toBe(true);
    expect(previous).toEqual(new SecretBox(oldKey).keyedHashes('ABCD-1234', 'backup-code')[0]);
  });
});
