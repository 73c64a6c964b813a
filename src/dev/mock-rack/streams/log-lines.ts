import type { Process } from '../state/rack-types';
import { rfc3339, rfc3339Nano } from '../state/rack-time';

const WEB_MESSAGES = [
  'GET /health 200 1.2ms',
  'GET / 200 14.8ms',
  'POST /api/orders 201 48.1ms',
  'GET /api/orders/1842 200 9.7ms',
  'GET /assets/app.js 304 0.8ms',
  'PUT /api/profile 200 22.5ms',
];
const WORKER_MESSAGES = [
  'picked up job send_receipt id=8121',
  'finished job send_receipt id=8121 in 84ms',
  'picked up job sync_inventory id=8122',
  'finished job sync_inventory id=8122 in 312ms',
  'queue depth=3 latency=41ms',
];

export function logMessage(service: string, sequence: number): string {
  const messages = service.includes('web') ? WEB_MESSAGES : WORKER_MESSAGES;
  return messages[sequence % messages.length];
}

/** k8s app and service logs are kubectl-style: `[pod/<pod>/<container>] <RFC3339Nano> <message>`. */
export function kubectlLine(pod: Process, at: Date, message: string, prefix: boolean, sequence = 0): string {
  if (!prefix) return `${message}\n`;
  return `[pod/${pod.id}/${pod.name}] ${rfc3339Nano(at, (sequence * 7919) % 1_000_000)} ${message}\n`;
}

/** One pod's logs carry the v2-style source prefix: `<RFC3339> service/<svc>/<pod> <message>`. */
export function processLine(pod: Process, at: Date, message: string, prefix: boolean): string {
  if (!prefix) return `${message}\n`;
  return `${rfc3339(at)} service/${pod.name}/${pod.id} ${message}\n`;
}

export type LineFormat = (pod: Process, at: Date, message: string, sequence: number) => string;

/** The lines written within `sinceMs` before now, oldest first: one every 6 s, pods taking turns. */
export function recentLines(
  pods: Process[],
  sinceMs: number,
  format: LineFormat,
  now = Date.now(),
): string[] {
  const count = Math.min(40, Math.max(1, Math.floor(sinceMs / 6000)));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const pod = pods[i % pods.length];
    const at = new Date(now - (count - i) * 6000);
    lines.push(format(pod, at, logMessage(pod.name, i), i));
  }
  return lines;
}

/** The text of a build's log; the same every time it is read, as the CLI's second read expects. */
export function buildLogLines(app: string, buildId: string, manifestServices: string[]): string[] {
  const services = manifestServices.length > 0 ? manifestServices : ['web'];
  return [
    'Authenticating 123456789012.dkr.ecr.us-east-1.amazonaws.com: Login Succeeded\n',
    `Building: .\n`,
    'Step 1/5 : FROM node:20-alpine\n',
    ' ---> 7d1a2b3c4d5e\n',
    'Step 2/5 : WORKDIR /app\n',
    'Step 3/5 : COPY package*.json ./\n',
    'Step 4/5 : RUN npm ci --omit=dev\n',
    'Step 5/5 : COPY . .\n',
    `Successfully tagged ${app}:${buildId.toLowerCase()}\n`,
    ...services.map(
      (s) =>
        `Running: docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-rack/${app}:${s}.${buildId}\n`,
    ),
  ];
}

/** Service names from a convox.yml (top-level keys under `services:`), enough for log text. */
export function manifestServiceNames(manifest: string): string[] {
  const names: string[] = [];
  let inServices = false;
  for (const line of manifest.split('\n')) {
    if (/^services:\s*$/.test(line)) inServices = true;
    else if (/^\S/.test(line)) inServices = false;
    else if (inServices && /^ {2}[a-z][a-z0-9-]*:\s*$/.test(line)) names.push(line.trim().slice(0, -1));
  }
  return names;
}
