import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stretch of time on the monotonic clock, in microseconds (as `process.hrtime.bigint() / 1000n`). */
export interface ProfileWindow {
  fromMicros: number;
  toMicros: number;
}

export interface ProfileSummary {
  /** Sampled CPU time, idle excluded, in ms. */
  busyMs: number;
  /** Share of busy time by part of the stack (self time), largest first. */
  parts: { part: string; share: number }[];
  /** The functions with the most self time. */
  hottest: { fn: string; share: number }[];
  /** Share of busy time in the web framework: Nest, its adapter (Express or Fastify), rxjs, reflect-metadata. */
  frameworkShare: number;
}

/** The parts that are the web framework rather than the gateway's own work or Node's socket work. */
export function isFrameworkPart(part: string): boolean {
  return /^(Nest \(|Express$|Fastify$|rxjs$|reflect-metadata$)/.test(part);
}

/** Which part of the program a frame belongs to, for the "where the time goes" table. */
function partOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (functionName === '(idle)') return '(idle)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (module) {
    if (module.startsWith('@nestjs/')) return `Nest (${module.slice(8)})`;
    if (/^(pg|pg-protocol|pg-pool|pg-types|postgres-)/.test(module)) return 'pg driver';
    if (/^(express|router|body-parser|finalhandler|send|serve-static|path-to-regexp)$/.test(module))
      return 'Express';
    if (/^(fastify|@fastify\/|find-my-way|avvio|light-my-request)/.test(module)) return 'Fastify';
    if (/^(pino|pino-http|nestjs-pino|sonic-boom|fast-redact|thread-stream)/.test(module)) return 'logging';
    return module;
  }
  if (url.startsWith('node:') || url === '') return 'Node core (http, net, streams, crypto)';
  const folder = /\/dist[^/]*\/src\/([^/]+)\//.exec(url)?.[1];
  if (folder) return `gateway: src/${folder}`;
  return 'other';
}

/**
 * Reads the `.cpuprofile` that `node --cpu-prof` wrote into `dir` and sums self time by part and function,
 * counting only samples inside `window` (the load, not the boot). V8 stamps samples with the same
 * monotonic clock as `process.hrtime` in every process on the machine.
 */
export function summarizeCpuProfile(dir: string, window: ProfileWindow): ProfileSummary {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at >= window.fromMicros && at <= window.toMicros) self.set(id, (self.get(id) ?? 0) + delta);
  });
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const part = partOf(frame.url, frame.functionName);
    if (part === '(idle)') continue;
    busy += micros;
    parts.set(part, (parts.get(part) ?? 0) + micros);
    const where = frame.url
      ? `${frame.url.replace(/^.*\/(node_modules|dist[^/]*)\//, '')}:${frame.lineNumber + 1}`
      : '';
    const fn = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const ranked = (map: Map<string, number>, limit: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  const framework = [...parts].reduce((sum, [part, micros]) => sum + (isFrameworkPart(part) ? micros : 0), 0);
  return {
    busyMs: busy / 1000,
    frameworkShare: framework / busy,
    parts: ranked(parts, 14).map(([part, micros]) => ({ part, share: micros / busy })),
    hottest: ranked(functions, 12).map(([fn, micros]) => ({ fn, share: micros / busy })),
  };
}
