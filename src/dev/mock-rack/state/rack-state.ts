import type {
  App,
  AppBudget,
  Build,
  Certificate,
  Instance,
  Process,
  Registry,
  Release,
  Resource,
  Service,
  System,
} from './rack-types';
import { RackError } from '../http/rack-error';
import { ProcessFleet } from './process-fleet';
import { seedApps, type AppSeed } from './seed-apps';
import {
  seedCertificates,
  seedInstances,
  seedRackResources,
  seedRegistries,
  seedSystem,
  seedSystemProcesses,
} from './seed-rack';

/** One app and everything hanging off it. Releases and builds are kept newest first. */
export interface AppRecord {
  app: App;
  services: Service[];
  releases: Release[];
  builds: Build[];
  fleet: ProcessFleet;
  resources: Resource[];
  budget: AppBudget;
  configs: Map<string, string>;
  commands: Record<string, string>;
}

export interface RackTimings {
  buildDelayMs: number;
  promoteDelayMs: number;
}

/** All mutable rack data, in memory; a fresh seed per mock instance. */
export class RackState {
  readonly system: System;
  readonly apps = new Map<string, AppRecord>();
  instances: Instance[];
  certificates: Certificate[];
  registries: Registry[];
  rackResources: Resource[];
  readonly systemProcesses: Process[];
  letsEncryptConfig: unknown = { role: '', solvers: [] };
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    version: string,
    readonly timings: RackTimings,
  ) {
    this.system = seedSystem(version);
    this.instances = seedInstances();
    this.certificates = seedCertificates();
    this.registries = seedRegistries();
    this.rackResources = seedRackResources();
    this.systemProcesses = seedSystemProcesses(version);
    for (const seed of seedApps()) this.addApp(seed);
  }

  addApp(seed: AppSeed): AppRecord {
    const record: AppRecord = {
      ...seed,
      fleet: new ProcessFleet(seed.app, seed.commands),
      configs: new Map(),
    };
    for (const service of record.services) record.fleet.rollout(service, seed.app.release);
    this.apps.set(seed.app.name, record);
    return record;
  }

  /** The rack's own wording, which `convox apps delete` waits for. */
  requireApp(name: string): AppRecord {
    const record = this.apps.get(name);
    if (!record) throw RackError.notFound(`app not found: ${name}`);
    return record;
  }

  requireService(record: AppRecord, name: string): Service {
    const service = record.services.find((s) => s.name === name);
    if (!service) throw RackError.notFound(`service not found: ${name}`);
    return service;
  }

  requireRelease(record: AppRecord, id: string): Release {
    const release = record.releases.find((r) => r.id === id);
    if (!release) throw RackError.notFound(`release not found: ${id}`);
    return release;
  }

  requireBuild(record: AppRecord, id: string): Build {
    const build = record.builds.find((b) => b.id === id);
    if (!build) throw RackError.notFound(`build not found: ${id}`);
    return build;
  }

  requireProcess(record: AppRecord, id: string): Process {
    const process = record.fleet.find(id);
    if (!process) throw RackError.notFound(`process not found: ${id}`);
    return process;
  }

  requireRackResource(name: string): Resource {
    const resource = this.rackResources.find((r) => r.name === name);
    if (!resource) throw RackError.notFound(`no such resource: ${name}`);
    return resource;
  }

  /** Runs `action` later unless the mock is closed first; timers never keep the process alive. */
  later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
