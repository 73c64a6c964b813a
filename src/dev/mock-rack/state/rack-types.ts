/**
 * The JSON shapes the convox CLI decodes (spec §4). Field names are the wire names; times are kept as
 * RFC 3339 strings so a record can be serialised as it is.
 */

export interface App {
  generation: string;
  locked: boolean;
  name: string;
  release: string;
  router: string;
  status: 'running' | 'updating' | 'rollback' | 'deleting' | 'unknown';
  parameters: Record<string, string>;
}

export interface Process {
  id: string;
  app: string;
  command: string;
  cpu: number;
  gpu: number;
  host: string;
  image: string;
  instance: string;
  memory: number;
  name: string;
  ports: string[];
  release: string;
  started: string;
  status: string;
}

export interface Release {
  id: string;
  app: string;
  build: string;
  env: string;
  manifest: string;
  description: string;
  created: string;
}

export interface Build {
  id: string;
  app: string;
  description: string;
  entrypoint: string;
  'git-sha': string;
  logs: string;
  manifest: string;
  process: string;
  release: string;
  reason: string;
  repository: string;
  status: 'created' | 'running' | 'complete' | 'failed';
  started: string;
  ended: string;
}

export interface ServicePort {
  balancer: number;
  certificate: string;
  container: number;
}

export interface Service {
  name: string;
  count: number;
  cpu: number;
  memory: number;
  gpu: number;
  'gpu-vendor': string;
  domain: string;
  ports: ServicePort[];
  nlb: unknown[];
  min?: number;
  max?: number;
  'scale-override-active'?: boolean;
  'triggers-override-active'?: boolean;
}

export interface Resource {
  name: string;
  type: string;
  url: string;
  status?: string;
  parameters?: Record<string, string>;
  apps?: App[];
}

export interface Instance {
  id: string;
  status: string;
  started: string;
  processes: number;
  cpu: number;
  memory: number;
  'cpu-capacity': number;
  'cpu-allocatable': number;
  'memory-capacity': number;
  'memory-allocatable': number;
  'gpu-capacity': number;
  'gpu-allocatable': number;
  'private-ip': string;
  'public-ip': string;
  agent: boolean;
}

export interface Certificate {
  id: string;
  domain: string;
  domains: string[];
  expiration: string;
  status: string;
}

export interface Registry {
  server: string;
  username: string;
  password: string;
}

export interface System {
  count: number;
  domain: string;
  name: string;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  provider: string;
  'rack-domain': string;
  'router-internal': string;
  region: string;
  status: string;
  type: string;
  version: string;
}

export interface AppBudget {
  config: Record<string, unknown> | null;
  state: Record<string, unknown> | null;
}
