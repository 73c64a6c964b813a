import { api, unwrap, type Schemas } from './client';

export type CliLogin = Schemas['CliLoginView'];
export type CliLoginDecision = Schemas['CliLoginDecisionDto']['decision'];

/** The browser's side of a CLI login (the CLI itself starts and completes it). */
export const cliLoginApi = {
  get: (loginId: string) =>
    unwrap(api.GET('/api/v1/auth/cli/logins/{loginId}', { params: { path: { loginId } } })),
  decide: (loginId: string, decision: CliLoginDecision) =>
    unwrap(
      api.POST('/api/v1/auth/cli/logins/{loginId}/decision', {
        params: { path: { loginId } },
        body: { decision },
      }),
    ),
};
