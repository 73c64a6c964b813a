import { api, unwrap } from './client';

/*
 * The MFA routes answer JSON their OpenAPI operations do not describe yet (no response schemas), so the
 * shapes the pages read are declared here, next to the calls; request bodies stay typed from the document.
 */

export interface MfaMethod {
  id: string;
  kind: 'totp' | 'webauthn' | string;
  label: string;
  cliCapable: boolean;
  /** The method challenges open on (exactly one of an enrolled person's methods). */
  preferred: boolean;
  createdAt: string;
  lastUsedAt?: string;
}

/** `/me`'s `mfa` and `GET /api/v1/mfa`. */
export interface MfaStatus {
  required: boolean;
  enrolled: boolean;
  methods: MfaMethod[];
  preferredMethodId?: string;
  preferredMethod?: 'totp' | 'webauthn' | string;
  verified: boolean;
  stepUpExpiresAt?: string;
  stepUpWindowSeconds: number;
  backupCodes: { total: number; unused: number };
}

export interface TotpStart {
  methodId: string;
  secret: string;
  uri: string;
  qrCode: string;
}

export interface Enrolled {
  methodId: string;
  kind: string;
  /** Only with the first factor: shown once. */
  backupCodes?: string[];
  stepUpExpiresAt?: string;
}

export interface TrustedDevice {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt?: string;
}

type Json = Record<string, unknown>;

export const mfaApi = {
  status: async () => (await unwrap(api.GET('/api/v1/mfa'))) as unknown as MfaStatus,
  startTotp: async (label: string) =>
    (await unwrap(api.POST('/api/v1/mfa/totp', { body: { label } }))) as unknown as TotpStart,
  confirmTotp: async (id: string, code: string) =>
    (await unwrap(
      api.POST('/api/v1/mfa/totp/{id}/confirm', { params: { path: { id } }, body: { code } }),
    )) as unknown as Enrolled,
  registrationOptions: async () =>
    (await unwrap(api.POST('/api/v1/mfa/webauthn/registration-options'))) as unknown as Json,
  register: async (response: Json, label: string) =>
    (await unwrap(
      api.POST('/api/v1/mfa/webauthn/registrations', {
        body: { response: response as Record<string, never>, label },
      }),
    )) as unknown as Enrolled,
  authenticationOptions: async () =>
    (await unwrap(api.POST('/api/v1/mfa/webauthn/authentication-options', { body: {} }))) as unknown as Json,
  verify: async (body: { code?: string; webauthn?: Json; trustDevice?: boolean }) =>
    (await unwrap(
      api.POST('/api/v1/mfa/verify', {
        body: { ...body, webauthn: body.webauthn as Record<string, never> | undefined },
      }),
    )) as unknown as { verified: boolean; stepUpExpiresAt?: string },
  actionOptions: async () =>
    (await unwrap(api.POST('/api/v1/mfa/webauthn/action-options', { body: {} }))) as unknown as Json,
  actionProof: async (webauthn: Json) =>
    (await unwrap(
      api.POST('/api/v1/mfa/webauthn/action-proofs', {
        body: { webauthn: webauthn as Record<string, never> },
      }),
    )) as unknown as { proof: string; expiresAt: string },
  setPreferred: async (methodId: string) =>
    (await unwrap(api.PUT('/api/v1/mfa/preferred-method', { body: { methodId } }))) as unknown as MfaMethod,
  regenerateBackupCodes: async () =>
    (await unwrap(api.POST('/api/v1/mfa/backup-codes'))) as unknown as { backupCodes: string[] },
  removeMethod: (id: string) => unwrap(api.DELETE('/api/v1/mfa/methods/{id}', { params: { path: { id } } })),
  renameMethod: (id: string, label: string) =>
    unwrap(api.PATCH('/api/v1/mfa/methods/{id}', { params: { path: { id } }, body: { label } })),
  trustedDevices: async () =>
    (await unwrap(api.GET('/api/v1/mfa/trusted-devices'))) as unknown as TrustedDevice[],
  revokeDevice: (id: string) =>
    unwrap(api.DELETE('/api/v1/mfa/trusted-devices/{id}', { params: { path: { id } } })),
  revokeAllDevices: () => unwrap(api.DELETE('/api/v1/mfa/trusted-devices')),
};
