/** The parts of the Convox JSON shapes (convox-api.md §4) that the commands print or act on. */
export interface ConvoxApp {
  name: string;
  status?: string;
  release?: string;
  generation?: string;
  locked?: boolean;
  router?: string;
  parameters?: Record<string, string>;
}

export interface ConvoxProcess {
  id: string;
  app?: string;
  name?: string;
  status?: string;
  release?: string;
  started?: string;
  command?: string;
  instance?: string;
  cpu?: number;
  memory?: number;
}

export interface ConvoxRelease {
  id: string;
  app?: string;
  build?: string;
  env?: string;
  manifest?: string;
  description?: string;
  created?: string;
}

export interface ConvoxBuild {
  id: string;
  app?: string;
  description?: string;
  status?: string;
  release?: string;
  reason?: string;
  started?: string;
  ended?: string;
  manifest?: string;
}

export interface ConvoxService {
  name: string;
  count?: number;
  cpu?: number;
  memory?: number;
  domain?: string;
}

export interface ConvoxSystem {
  name?: string;
  provider?: string;
  region?: string;
  domain?: string;
  status?: string;
  version?: string;
  count?: number;
  type?: string;
  'rack-domain'?: string;
  'router-internal'?: string;
  parameters?: Record<string, string>;
  outputs?: Record<string, string>;
}

export interface ConvoxResource {
  name: string;
  type?: string;
  url?: string;
  status?: string;
}

export interface ConvoxInstance {
  id: string;
  status?: string;
  started?: string;
  processes?: number;
  cpu?: number;
  memory?: number;
  'cpu-allocatable'?: number;
  'memory-allocatable'?: number;
  'private-ip'?: string;
  'public-ip'?: string;
}

export interface ConvoxObject {
  Url: string;
}
