import { CliError } from '../cli/cli-error';
import type { CliEnvironment } from '../cli/cli-environment';
import type { ClientConfig } from '../config/client-config';
import { normalizeGatewayUrl } from './gateway-url';

/** Label of the rack when only RACK_GATEWAY_URL says where the gateway is (typical in CI). */
export const ENVIRONMENT_RACK_LABEL = '(from environment)';

export type TokenSource = 'environment' | 'session' | 'none';

/** Everything needed to talk to one rack's gateway. */
export interface GatewayTarget {
  rackName: string;
  url: string;
  token?: string;
  tokenSource: TokenSource;
  expiresAt?: string;
  email?: string;
}

/** `--rack` → RACK_GATEWAY_RACK → the config's current rack. */
export function selectRackName(flagRack: string | undefined, env: CliEnvironment, config: ClientConfig) {
  return flagRack ?? env.rack ?? config.current;
}

export function resolveGatewayTarget(
  flagRack: string | undefined,
  env: CliEnvironment,
  config: ClientConfig,
): GatewayTarget {
  const selected = selectRackName(flagRack, env, config);
  const rackName = selected ?? (env.gatewayUrl ? ENVIRONMENT_RACK_LABEL : undefined);
  if (!rackName) {
    throw new CliError('no rack selected; run: rack-gateway login <rack> <url>, or pass --rack <rack>');
  }
  const entry = config.racks[rackName];
  if (!entry && !env.gatewayUrl) {
    const known = Object.keys(config.racks).sort();
    const hint = known.length ? `known racks: ${known.join(', ')}` : 'no racks are configured';
    throw new CliError(`unknown rack "${rackName}" (${hint}); run: rack-gateway login ${rackName} <url>`);
  }
  const url = normalizeGatewayUrl(env.gatewayUrl ?? entry!.url);
  if (env.apiToken) return { rackName, url, token: env.apiToken, tokenSource: 'environment' };
  if (entry?.token) {
    return {
      rackName,
      url,
      token: entry.token,
      tokenSource: 'session',
      expiresAt: entry.expiresAt,
      email: entry.email,
    };
  }
  return { rackName, url, tokenSource: 'none', email: entry?.email };
}

/** A target with a usable credential, or the error telling the user how to get one. */
export function requireCredential(
  target: GatewayTarget,
  now = new Date(),
): GatewayTarget & { token: string } {
  if (!target.token) {
    throw new CliError(
      `not logged in to rack "${target.rackName}"; run: rack-gateway login ${target.rackName}`,
    );
  }
  if (target.tokenSource === 'session' && target.expiresAt && Date.parse(target.expiresAt) <= now.getTime()) {
    throw new CliError(`session expired, run: rack-gateway login ${target.rackName}`);
  }
  return target as GatewayTarget & { token: string };
}
