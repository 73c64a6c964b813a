import type { App, Process, Service } from './rack-types';
import { newPodName, newReplicaSetHash, newRunPodName } from './convox-ids';
import { rfc3339 } from './rack-time';

/** The pods of one app: deployment pods per service plus one-off `convox run` pods. */
export class ProcessFleet {
  private pods: Process[] = [];

  constructor(
    private readonly app: App,
    private readonly commands: Record<string, string>,
  ) {}

  list(): Process[] {
    return [...this.pods].sort((a, b) => (a.name === b.name ? cmp(a.id, b.id) : cmp(a.name, b.name)));
  }

  find(id: string): Process | undefined {
    return this.pods.find((pod) => pod.id === id);
  }

  remove(id: string): boolean {
    const before = this.pods.length;
    this.pods = this.pods.filter((pod) => pod.id !== id);
    return this.pods.length !== before;
  }

  /** Replaces every pod of a service, as a rolling update would (new names, new start times). */
  rollout(service: Service, release: string, startedAt = new Date()): void {
    this.pods = this.pods.filter((pod) => pod.name !== service.name || pod.id.includes('-run-'));
    const hash = newReplicaSetHash();
    for (let i = 0; i < service.count; i++) {
      this.pods.push(this.pod(service, newPodName(service.name, hash), release, startedAt));
    }
  }

  /** Grows or shrinks a service's pods without touching the ones that stay. */
  resize(service: Service, release: string): void {
    const current = this.pods.filter((pod) => pod.name === service.name && !pod.id.includes('-run-'));
    if (current.length > service.count) {
      const drop = new Set(current.slice(service.count).map((pod) => pod.id));
      this.pods = this.pods.filter((pod) => !drop.has(pod.id));
      return;
    }
    const hash = current[0]?.id.split('-').slice(-2, -1)[0] ?? newReplicaSetHash();
    for (let i = current.length; i < service.count; i++) {
      this.pods.push(this.pod(service, newPodName(service.name, hash), release, new Date()));
    }
  }

  /** A detached one-off pod (`convox run`): it sleeps, so it is running until deleted. */
  run(service: Service, command: string, release: string): Process {
    const pod = this.pod(service, newRunPodName(service.name), release, new Date());
    pod.command = command;
    pod.ports = [];
    this.pods.push(pod);
    return pod;
  }

  private pod(service: Service, id: string, release: string, started: Date): Process {
    const octet = 10 + (this.pods.length % 200);
    return {
      id,
      app: this.app.name,
      command: this.commands[service.name] ?? '',
      cpu: 0,
      gpu: 0,
      host: `10.1.${1 + (this.pods.length % 3)}.${octet}`,
      image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-rack/${this.app.name}:${service.name}.${release}`,
      instance: `ip-10-0-${1 + (this.pods.length % 3)}-${[23, 57, 91][this.pods.length % 3]}.ec2.internal`,
      memory: 0,
      name: service.name,
      ports: service.ports.map((port) => String(port.container)),
      release,
      started: rfc3339(started),
      status: 'running',
    };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
