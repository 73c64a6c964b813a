import type { App, AppBudget, Build, Release, Resource, Service } from './rack-types';
import { formatEnvText } from './env-text';
import { minutesAgo } from './rack-time';

/** Everything the mock knows about one app at start-up. Releases and builds are newest first. */
export interface AppSeed {
  app: App;
  services: Service[];
  releases: Release[];
  builds: Build[];
  resources: Resource[];
  budget: AppBudget;
  commands: Record<string, string>;
}

export const RACK_DOMAIN = 'dev-rack.example.com';

function service(name: string, count: number, port?: number, app?: string): Service {
  return {
    name,
    count,
    cpu: 256,
    memory: 512,
    gpu: 0,
    'gpu-vendor': '',
    domain: port && app ? `${name}.${app}.${RACK_DOMAIN}` : '',
    ports: port ? [{ balancer: 443, certificate: '', container: port }] : [],
    nlb: [],
  };
}

function build(
  app: string,
  id: string,
  release: string,
  minutes: number,
  manifest: string,
  sha: string,
): Build {
  return {
    id,
    app,
    description: `build ${sha.slice(0, 10)} ${minutes > 1000 ? 'initial import' : 'tune worker concurrency'}`,
    entrypoint: '',
    'git-sha': sha,
    logs: '',
    manifest,
    process: `build-${id.toLowerCase()}`,
    release,
    reason: '',
    repository: `123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-rack/${app}`,
    status: 'complete',
    started: minutesAgo(minutes + 3),
    ended: minutesAgo(minutes),
  };
}

interface AppRecipe {
  name: string;
  manifest: string;
  services: Service[];
  env: Record<string, string>;
  /** [releaseId, buildId, minutesAgo, description] newest first; the first one is active. */
  history: [string, string, number, string][];
  resources: Resource[];
  budget: AppBudget;
  commands: Record<string, string>;
}

const MYAPP_MANIFEST = `environment:
  - NODE_ENV=production
resources:
  database:
    type: postgres
  cache:
    type: redis
services:
  web:
    build: .
    command: node server.js
    port: 3000
    health: /health
    resources:
      - database
      - cache
    scale:
      count: 2
  worker:
    build: .
    command: node worker.js
    resources:
      - database
      - cache
`;

const API_MANIFEST = `services:
  web:
    build: .
    command: bundle exec puma -C config/puma.rb
    port: 8080
    scale:
      count: 3
  sidekiq:
    build: .
    command: bundle exec sidekiq
`;

const WORKER_MANIFEST = `services:
  worker:
    build: .
    command: python -m worker
    scale:
      count: 2
  scheduler:
    build: .
    command: python -m scheduler
`;

const RECIPES: AppRecipe[] = [
  {
    name: 'myapp',
    manifest: MYAPP_MANIFEST,
    services: [service('web', 2, 3000, 'myapp'), service('worker', 1)],
    env: {
      DATABASE_URL: 'postgres://myapp:pg-mock-password-7d1c@database.myapp.svc.cluster.local:5432/myapp',
      NODE_ENV: 'production',
      PORT: '3000',
      REDIS_URL: 'redis://cache.myapp.svc.cluster.local:6379/0',
      SECRET_KEY_BASE: 'mock-secret-key-base-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      STRIPE_API_KEY: 'sk_test_mockrack_00000000000000000000',
    },
    history: [
      ['RKQPZMWTRNB', 'BHXQLMVTZKA', 120, 'env add:STRIPE_API_KEY'],
      ['RJDWXNQLTVA', 'BHXQLMVTZKA', 600, 'build 4f2a9c1d7e tune worker concurrency'],
      ['RGMPLKZQWHC', 'BCFWKQNRTXD', 4320, 'build 0b8e3a6f21 initial import'],
    ],
    resources: [
      {
        name: 'database',
        type: 'postgres',
        url: 'postgres://myapp:pg-mock-password-7d1c@database:5432/myapp',
      },
      { name: 'cache', type: 'redis', url: 'redis://cache:6379/0' },
    ],
    budget: { config: null, state: null },
    commands: { web: 'node server.js', worker: 'node worker.js' },
  },
  {
    name: 'api',
    manifest: API_MANIFEST,
    services: [service('web', 3, 8080, 'api'), service('sidekiq', 1)],
    env: {
      DATABASE_URL: 'postgres://api:api-db-mock-3b9e@api-db.cluster.example.internal:5432/api',
      PORT: '8080',
      RAILS_ENV: 'production',
      SECRET_KEY_BASE: 'mock-rails-secret-0c1d2e3f4a5b6c7d8e9f',
      STRIPE_API_KEY: 'sk_test_mockrack_api_1111111111111111',
    },
    history: [
      ['RTVNBQXWLPE', 'BZRMKWQTNLE', 45, 'build 9c4d1e2f3a add rate limits'],
      ['RWLQMTZXKBF', 'BYPLDKWQMRF', 2880, 'build 1a2b3c4d5e first deploy'],
    ],
    resources: [{ name: 'api-db', type: 'postgres', url: 'postgres://api:api-db-mock-3b9e@api-db:5432/api' }],
    budget: {
      config: {
        'monthly-cap-usd': 500,
        'alert-threshold-percent': 80,
        'at-cap-action': 'alert-only',
        'pricing-adjustment': 1,
      },
      state: { 'circuit-breaker-tripped': false, 'current-month-spend-usd': 123.45 },
    },
    commands: { web: 'bundle exec puma -C config/puma.rb', sidekiq: 'bundle exec sidekiq' },
  },
  {
    name: 'worker-app',
    manifest: WORKER_MANIFEST,
    services: [service('worker', 2), service('scheduler', 1)],
    // Credentials under names that do not say "secret": the gateway hides them by their shape.
    env: {
      DOCS_URL: 'https://docs.example.com/worker',
      GITHUB_PAT: 'ghp_MockRackWorkerPat0000000000000000000',
      NODE_ENV: 'production',
      PORT: '5000',
      RABBITMQ_URL: 'amqp://guest:mock-amqp-pass@rabbitmq.internal:5672',
      SENTRY_DSN: 'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42',
    },
    history: [['RXHQWPLMZTG', 'BQWERTZLMNG', 300, 'build 7e6d5c4b3a nightly jobs']],
    resources: [
      { name: 'jobs-db', type: 'postgres', url: 'postgres://jobs:jobs-db-mock-5c2a@jobs-db:5432/jobs' },
    ],
    budget: { config: null, state: null },
    commands: { worker: 'python -m worker', scheduler: 'python -m scheduler' },
  },
];

function seedFromRecipe(recipe: AppRecipe, now: number): AppSeed {
  const env = formatEnvText(recipe.env);
  const releases: Release[] = recipe.history.map(([id, buildId, minutes, description]) => ({
    id,
    app: recipe.name,
    build: buildId,
    env,
    manifest: recipe.manifest,
    description,
    created: minutesAgo(minutes, now),
  }));
  const builds = new Map<string, Build>();
  for (const [releaseId, buildId, minutes] of [...recipe.history].reverse()) {
    if (!builds.has(buildId)) {
      const sha = Buffer.from(buildId + recipe.name)
        .toString('hex')
        .padEnd(40, '0')
        .slice(0, 40);
      builds.set(buildId, build(recipe.name, buildId, releaseId, minutes, recipe.manifest, sha));
    }
  }
  return {
    app: {
      generation: '3',
      locked: false,
      name: recipe.name,
      release: releases[0].id,
      router: `router.${RACK_DOMAIN}`,
      status: 'running',
      parameters: {},
    },
    services: recipe.services,
    releases,
    builds: [...builds.values()].reverse(),
    resources: recipe.resources.map((r) => ({ ...r, status: 'running', parameters: {} })),
    budget: recipe.budget,
    commands: recipe.commands,
  };
}

export function seedApps(now = Date.now()): AppSeed[] {
  return RECIPES.map((recipe) => seedFromRecipe(recipe, now));
}
