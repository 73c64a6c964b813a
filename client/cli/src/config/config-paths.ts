import { join } from 'node:path';
import type { CliEnvironment } from '../cli/cli-environment';

/** `--config` → RACK_GATEWAY_CONFIG_DIR → $XDG_CONFIG_HOME/rack-gateway → ~/.config/rack-gateway. */
export function configDirectory(flagDir: string | undefined, env: CliEnvironment): string {
  if (flagDir) return flagDir;
  if (env.configDir) return env.configDir;
  if (env.xdgConfigHome) return join(env.xdgConfigHome, 'rack-gateway');
  return join(env.home, '.config', 'rack-gateway');
}
