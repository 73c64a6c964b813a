import type { Process } from '../state/rack-types';
import type { SocketSession } from './socket-session';
import { readLogOptions, type LogOptions } from './log-options';
import { logMessage, recentLines, type LineFormat } from './log-lines';

const FOLLOW_INTERVAL_MS = 500;
const BULK_FRAME_BYTES = 64 * 1024;
const BULK_HIGH_WATER = 4 * 1024 * 1024;

/** Waits `ms`, or less if `until` settles first (the client left); never keeps the process alive. */
export function pause(ms: number, until: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void until.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A pod log stream: the lines of the last `Since`, then (when following) a new line every 500 ms from
 * whichever pods exist at that moment, until the client goes away.
 */
export async function streamPodLogs(
  session: SocketSession,
  pods: () => Process[],
  format: LineFormat,
  noPodsMessage: string,
): Promise<void> {
  const options = readLogOptions(session);
  if (pods().length === 0) return session.fail(noPodsMessage);
  if (options.streamBytes !== undefined) {
    await streamBulk(session, pods(), format, options.streamBytes);
    return session.eof();
  }
  const keep = (line: string) => !options.filter || line.includes(options.filter);
  let lines = recentLines(pods(), options.sinceMs, format).filter(keep);
  if (options.tail !== undefined) lines = lines.slice(Math.max(0, lines.length - options.tail));
  for (const line of lines) await session.write(line);
  if (!options.follow) return session.eof();
  await follow(session, pods, format, options);
}

async function follow(
  session: SocketSession,
  pods: () => Process[],
  format: LineFormat,
  options: LogOptions,
) {
  for (let sequence = 0; session.open; sequence++) {
    await pause(FOLLOW_INTERVAL_MS, session.closed);
    const current = pods();
    if (!session.open || current.length === 0) continue;
    const pod = current[sequence % current.length];
    const line = format(pod, new Date(), logMessage(pod.name, sequence), sequence);
    if (!options.filter || line.includes(options.filter)) await session.write(line);
  }
}

/**
 * Benchmark mode: exactly `total` bytes of realistic lines in 64 KiB text frames, pausing whenever more
 * than a few MiB are queued so the client's read speed sets the pace.
 */
async function streamBulk(session: SocketSession, pods: Process[], format: LineFormat, total: number) {
  const block = buildBlock(pods, format);
  let remaining = total;
  let lastWrite: Promise<void> = Promise.resolve();
  while (remaining > 0 && session.open) {
    const size = Math.min(remaining, block.length);
    lastWrite = session.write(size === block.length ? block : block.subarray(0, size));
    remaining -= size;
    if (session.bufferedAmount > BULK_HIGH_WATER) await lastWrite;
  }
  await lastWrite;
}

function buildBlock(pods: Process[], format: LineFormat): Buffer {
  const lines: string[] = [];
  let size = 0;
  const at = new Date();
  for (let i = 0; size < BULK_FRAME_BYTES; i++) {
    const pod = pods[i % pods.length];
    const line = format(pod, at, logMessage(pod.name, i), i);
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join('')).subarray(0, BULK_FRAME_BYTES);
}
