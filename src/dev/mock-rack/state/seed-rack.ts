import type { Certificate, Instance, Process, Registry, Resource, System } from './rack-types';
import { RACK_DOMAIN } from './seed-apps';
import { minutesAgo } from './rack-time';

export function seedSystem(version: string): System {
  return {
    count: 3,
    domain: `router.${RACK_DOMAIN}`,
    name: 'dev-rack',
    outputs: {
      DomainInternal: `router-internal.${RACK_DOMAIN}`,
      NLBHost: 'dev-rack-nlb-0123456789.elb.us-east-1.amazonaws.com',
    },
    // Empty on a real k8s v3 rack; a few values make `convox rack params` show something, two of them
    // credentials (one by name, one by shape) that the gateway must mask.
    parameters: {
      high_availability: 'true',
      node_type: 't3.large',
      build_node_type: 't3.medium',
      RegistryPassword: 'mock-registry-pass',
      notification_url: 'https://hooks:mock-hook-pass@notify.example.com/rack',
    },
    provider: 'aws',
    'rack-domain': `api.${RACK_DOMAIN}`,
    'router-internal': `router-internal.${RACK_DOMAIN}`,
    region: 'us-east-1',
    status: 'running',
    type: 'production',
    version,
  };
}

export function seedInstances(now = Date.now()): Instance[] {
  return ['ip-10-0-1-23.ec2.internal', 'ip-10-0-2-57.ec2.internal', 'ip-10-0-3-91.ec2.internal'].map(
    (id, index) => ({
      id,
      status: 'running',
      started: minutesAgo(60 * 24 * (index + 2), now),
      processes: 6 - index,
      cpu: 0.9 + index * 0.2,
      memory: 3.1 + index * 0.4,
      'cpu-capacity': 2,
      'cpu-allocatable': 1.93,
      'memory-capacity': 7.6,
      'memory-allocatable': 6.9,
      'gpu-capacity': 0,
      'gpu-allocatable': 0,
      'private-ip': id.slice(3, id.indexOf('.')).replace(/-/g, '.'),
      'public-ip': '',
      agent: false,
    }),
  );
}

export function seedCertificates(now = Date.now()): Certificate[] {
  const inDays = (days: number) => minutesAgo(-days * 24 * 60, now);
  return [
    {
      id: 'cert-0a1b2c3d',
      domain: `*.${RACK_DOMAIN}`,
      domains: [`*.${RACK_DOMAIN}`, RACK_DOMAIN],
      expiration: inDays(62),
      status: '',
    },
    {
      id: 'cert-4e5f6a7b',
      domain: 'www.myapp.example.org',
      domains: ['www.myapp.example.org'],
      expiration: inDays(20),
      status: 'Ready',
    },
  ];
}

export function seedRegistries(): Registry[] {
  return [
    { server: 'index.docker.io', username: 'devrackbot', password: 'mock-registry-password' },
    { server: 'ghcr.io:443', username: 'devrack', password: 'mock-ghcr-token' },
  ];
}

export function seedRackResources(): Resource[] {
  return [
    {
      name: 'shared-postgres',
      type: 'postgres',
      url: 'postgres://shared:mock-shared-pass@shared-postgres.dev-rack.svc.cluster.local:5432/app',
      status: 'running',
      parameters: { version: '16', storage: '20', password: 'mock-shared-pass' },
      apps: [],
    },
    {
      name: 'shared-redis',
      type: 'redis',
      url: 'redis://shared-redis.dev-rack.svc.cluster.local:6379/0',
      status: 'running',
      parameters: { version: '7.2' },
      apps: [],
    },
  ];
}

export const RESOURCE_TYPES = [
  {
    name: 'postgres',
    parameters: [
      { name: 'version', default: '16', description: 'postgres version' },
      { name: 'storage', default: '10', description: 'storage size in GB' },
    ],
  },
  { name: 'redis', parameters: [{ name: 'version', default: '7.2', description: 'redis version' }] },
  { name: 'mysql', parameters: [{ name: 'version', default: '8.0', description: 'mysql version' }] },
  { name: 'memcached', parameters: [{ name: 'version', default: '1.6', description: 'memcached version' }] },
];

export function seedSystemProcesses(version: string, now = Date.now()): Process[] {
  const pods: [string, string][] = [
    ['api', 'api-7f9c8d6b5-h2k4m'],
    ['atom', 'atom-5c6d7e8f9-q8w2z'],
    ['resolver', 'resolver-6b7c8d9f0-t5r3n'],
    ['router', 'router-84d9f7c6b-p9x7v'],
  ];
  return pods.map(([name, id], index) => ({
    id,
    app: 'system',
    command: '',
    cpu: 0,
    gpu: 0,
    host: `10.0.${index + 1}.${10 + index}`,
    image: `convox/convox:${version}`,
    instance: 'ip-10-0-1-23.ec2.internal',
    memory: 0,
    name,
    ports: [],
    release: version,
    started: minutesAgo(60 * 24 * 2, now),
    status: 'running',
  }));
}
