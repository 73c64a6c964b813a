import { CliError } from '../cli/cli-error';
import type { GatewayClient } from './gateway-client';

/**
 * A write such as `env set` first reads (the releases), so a viewer is refused on the read and would be
 * told about `convox:release:list` instead of the permission the command is really about. When a
 * preparatory read is refused, ask the gateway (`/me`) whether the caller holds `wanted` at all, and if not,
 * name that one.
 */
export async function withIntendedPermission<T>(
  client: GatewayClient,
  wanted: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof CliError) || !/permission denied/i.test(error.message)) throw error;
    const me = await client.api<{ permissions?: string[] }>('GET', '/me').catch(() => undefined);
    if (me?.permissions && !me.permissions.includes(wanted))
      throw new CliError(`permission denied: ${wanted}`);
    throw error;
  }
}
