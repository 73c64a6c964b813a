import { api, unwrap, type Schemas } from './client';

export type CliStepUp = Schemas['CliApprovalView'];

/** The browser's side of a CLI step-up (the CLI itself starts it and polls for the outcome). */
export const cliMfaApi = {
  get: (id: string) =>
    unwrap(api.GET('/api/v1/mfa/cli-approvals/{id}/details', { params: { path: { id } } })),
  approve: (id: string, webauthn: Record<string, unknown>) =>
    unwrap(
      api.POST('/api/v1/mfa/cli-approvals/{id}/approve', {
        params: { path: { id } },
        body: { webauthn: webauthn as Record<string, never> },
      }),
    ),
  deny: (id: string) => unwrap(api.POST('/api/v1/mfa/cli-approvals/{id}/deny', { params: { path: { id } } })),
};
