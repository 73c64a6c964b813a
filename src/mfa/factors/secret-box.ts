import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** Raised when a stored secret cannot be opened: wrong key, unknown key id, or tampered ciphertext. */
export class SecretBoxError extends Error {}

/** A 32-byte key and its short public id (first 8 hex of its SHA-256), stored beside what it sealed. */
export interface MfaKey {
  id: string;
  key: Buffer;
}

export function mfaKeyFrom(key: Buffer): MfaKey {
  if (key.length !== 32) throw new Error('MFA keys are 32 bytes');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/**
 * AES-256-GCM for TOTP secrets at rest. A sealed value is `v1:<keyId>:<iv>:<ciphertext>:<tag>` (base64url
 * parts), so after a key rotation the previous key is found by id and the value re-sealed with the current
 * one. The key id is bound into the tag as associated data, and so is the `context` (the owning user), so a
 * ciphertext copied to another row does not open.
 */
export class SecretBox {
  constructor(
    readonly current: MfaKey,
    private readonly previous?: MfaKey,
  ) {}

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(`${this.current.id}:${context}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return ['v1', this.current.id, ...parts].join(':');
  }

  /** Opens a sealed value; `stale` says it was sealed with the previous key and should be re-sealed. */
  open(sealed: string, context: string): { plaintext: string; stale: boolean } {
    const [version, keyId, iv, body, tag] = sealed.split(':');
    if (version !== 'v1' || !iv || !body || !tag) throw new SecretBoxError('unreadable sealed secret');
    const key = [this.current, this.previous].find((k) => k?.id === keyId);
    if (!key) throw new SecretBoxError(`sealed with an unknown MFA key (id ${keyId})`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${keyId}:${context}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
      return { plaintext: plaintext.toString('utf8'), stale: key !== this.current };
    } catch {
      throw new SecretBoxError('sealed secret failed authentication');
    }
  }

  /**
   * Keyed hashes (HMAC-SHA256 under a key derived for this purpose) of a value under every key we hold,
   * current first, each prefixed by its key id, for lookups that must survive a rotation.
   */
  keyedHashes(value: string, purpose: string): string[] {
    return [this.current, this.previous]
      .filter((k): k is MfaKey => k !== undefined)
      .map((k) => {
        const derived = createHmac('sha256', k.key).update(`purpose:${purpose}`).digest();
        return `${k.id}:${createHmac('sha256', derived).update(value).digest('hex')}`;
      });
  }
}
