import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { apiError } from '../access-control/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { mfaKeyFrom, SecretBox } from './factors/secret-box';

/** The SecretBox built from MFA_ENCRYPTION_KEY (and MFA_ENCRYPTION_KEY_PREVIOUS after a rotation). */
@Injectable()
export class MfaSecrets {
  private readonly secretBox?: SecretBox;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { encryptionKey, previousEncryptionKey } = config.mfa;
    if (encryptionKey) {
      this.secretBox = new SecretBox(
        mfaKeyFrom(encryptionKey),
        previousEncryptionKey ? mfaKeyFrom(previousEncryptionKey) : undefined,
      );
    }
  }

  get box(): SecretBox {
    if (!this.secretBox)
      throw apiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'mfa_unavailable',
        'MFA_ENCRYPTION_KEY is not configured',
      );
    return this.secretBox;
  }
}
