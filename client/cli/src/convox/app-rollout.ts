import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../cli/cli-error';
import type { GatewayClient } from '../http/gateway-client';
import type { ConvoxApp } from './convox-types';

const POLL_INTERVAL_MS = 5000;
const ROLLOUT_TIMEOUT_MS = 35 * 60 * 1000;

/**
 * Waits like convox does after a promote: the app must report `running` on two polls in a row
 * (the first poll can still see the state from before the rollout started); `rollback` fails.
 */
export async function waitForAppRunning(
  client: GatewayClient,
  app: string,
  pollIntervalMs = POLL_INTERVAL_MS,
): Promise<void> {
  const deadline = Date.now() + ROLLOUT_TIMEOUT_MS;
  let runningInARow = 0;
  while (Date.now() < deadline) {
    await sleep(pollIntervalMs);
    const current = await client.rack<ConvoxApp>('GET', `/apps/${app}`);
    if (current.status === 'rollback')
      throw new CliError(`app ${app} rolled back: the release did not become healthy`);
    runningInARow = current.status === 'running' ? runningInARow + 1 : 0;
    if (runningInARow >= 2) return;
  }
  throw new CliError(`timed out waiting for app ${app} to be running`);
}

/** POST …/promote, then optionally wait for the rollout; prints what it does on stderr. */
export async function promoteRelease(
  client: GatewayClient,
  app: string,
  releaseId: string,
  options: { wait: boolean; force?: boolean; log: (line: string) => void },
): Promise<void> {
  options.log(`Promoting ${releaseId}...`);
  await client.rack('POST', `/apps/${app}/releases/${releaseId}/promote`, {
    form: { force: options.force ? 'true' : 'false' },
  });
  if (!options.wait) return;
  options.log(`Waiting for ${app} to be running...`);
  await waitForAppRunning(client, app);
  const after = await client.rack<ConvoxApp>('GET', `/apps/${app}`);
  if (after.release && after.release !== releaseId) {
    throw new CliError(
      `app ${app} is running release ${after.release}, not ${releaseId}: the rollout was rolled back`,
    );
  }
  options.log('OK');
}
