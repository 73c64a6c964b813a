import { homedir } from 'node:os';
import { readCiContext, type CiContext } from '../resolve/ci-context';

/** The environment variables the CLI honours, read once so every other module takes them as data. */
export interface CliEnvironment {
  /** RACK_GATEWAY_RACK: rack to use when `--rack` is not given. */
  rack?: string;
  /** RACK_GATEWAY_URL: replaces the selected rack's gateway URL (CI needs no config file). */
  gatewayUrl?: string;
  /** RACK_GATEWAY_API_TOKEN: replaces the stored session token. */
  apiToken?: string;
  /** RACK_GATEWAY_CONFIG_DIR: directory holding config.json. */
  configDir?: string;
  /** XDG_CONFIG_HOME: base of the default config directory. */
  xdgConfigHome?: string;
  /** CONVOX_APP: app name when `-a/--app` is not given. */
  convoxApp?: string;
  home: string;
  /** GitHub Actions or CircleCI variables (commit, branch, pipeline) when running there. */
  ci?: CiContext;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readCliEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  return {
    rack: nonEmpty(env.RACK_GATEWAY_RACK),
    gatewayUrl: nonEmpty(env.RACK_GATEWAY_URL),
    apiToken: nonEmpty(env.RACK_GATEWAY_API_TOKEN),
    configDir: nonEmpty(env.RACK_GATEWAY_CONFIG_DIR),
    xdgConfigHome: nonEmpty(env.XDG_CONFIG_HOME),
    convoxApp: nonEmpty(env.CONVOX_APP),
    home: nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? homedir(),
    ci: readCiContext(env),
  };
}
