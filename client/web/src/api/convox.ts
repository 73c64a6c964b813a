/**
 * The few fields of the Convox rack API's JSON the console shows. The rack API is proxied, not described by
 * the gateway's OpenAPI document, so these are declared here from the Convox wire format.
 */
export interface RackSystem {
  name: string;
  provider: string;
  region: string;
  status: string;
  version: string;
  count: number;
  type: string;
}

export interface RackApp {
  name: string;
  status: string;
  release: string;
  locked: boolean;
  generation: string;
}

export interface RackService {
  name: string;
  count: number;
  cpu: number;
  memory: number;
  domain: string;
}

export interface RackProcess {
  id: string;
  name: string;
  command: string;
  status: string;
  release: string;
  started: string;
  instance: string;
}

export interface RackBuild {
  id: string;
  status: string;
  description: string;
  release: string;
  started: string;
  ended: string;
}

export interface RackRelease {
  id: string;
  build: string;
  env: string;
  description: string;
  created: string;
}

/** What the gateway writes instead of a value the caller may not see. */
export const ENV_MASK = '********************';

/** Convox release env is `KEY=value` lines. */
export function parseEnv(text: string): Array<{ key: string; value: string }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('='))
    .map((line) => ({ key: line.slice(0, line.indexOf('=')), value: line.slice(line.indexOf('=') + 1) }));
}
