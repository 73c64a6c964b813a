import { CliError } from '../cli/cli-error';
import type { GatewayClient } from '../http/gateway-client';
import { errorBodyCode } from '../http/gateway-errors';
import { createCodeChallenge } from './code-challenge';

const STEP_UP_TIMEOUT_MS = 5 * 60_000;

export interface StepUpInteraction {
  /** Show (and try to open) the page where the person approves with their passkey. */
  browserUrlReady(url: string): Promise<void>;
}

/**
 * MFA for a passkey-only person: the gateway gives a console page to approve (or deny) in the browser; this process polls
 * with a verifier only it holds until the approval verifies this CLI session (like entering a code would).
 * The answer also carries a single-use proof (two minutes, this session) for one `always` request, which a
 * code would have covered by riding on that request.
 */
export async function stepUpInBrowser(
  client: GatewayClient,
  interaction: StepUpInteraction,
  timeoutMs = STEP_UP_TIMEOUT_MS,
): Promise<{ proof?: string }> {
  const { verifier, challenge } = createCodeChallenge();
  const start = await client.api<{
    id: string;
    browserUrl: string;
    pollIntervalSeconds?: number;
    expiresAt?: string;
  }>('POST', '/mfa/cli-approvals', { json: { codeChallenge: challenge } });
  await interaction.browserUrlReady(start.browserUrl);
  const intervalMs = Math.max(1, start.pollIntervalSeconds ?? 2) * 1000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const poll = await client.send('POST', `/api/v1/mfa/cli-approvals/${start.id}/complete`, {
      json: { codeVerifier: verifier },
    });
    if (poll.status === 202) continue;
    if (poll.status === 200) return { proof: (JSON.parse(poll.body) as { proof?: string }).proof };
    if (poll.status === 403 && errorBodyCode(poll.body) === 'approval_denied')
      throw new CliError('denied in the browser: the command was not run');
    throw client.failure(poll.status, poll.body);
  }
  throw new CliError('timed out waiting for the approval in the browser; run the command again');
}
