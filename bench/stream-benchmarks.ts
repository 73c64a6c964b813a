import { request } from 'node:http';
import WebSocket from 'ws';
import { sampleRss } from './process-memory';

export interface UploadResult {
  bytes: number;
  seconds: number;
  mibPerSecond: number;
  status: number;
  rssBaselineMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
}

const MiB = 1024 * 1024;

/**
 * Streams `bytes` of generated data as one Content-Length body while sampling `pid`'s RSS (the gateway's;
 * without a pid, as when uploading straight to the rack, the RSS fields are 0).
 */
export async function uploadThrough(
  url: string,
  authorization: string,
  bytes: number,
  pid?: number,
): Promise<UploadResult> {
  const chunk = Buffer.alloc(MiB, 0x5a);
  const stop = pid === undefined ? () => ({ baseline: 0, peak: 0 }) : sampleRss(pid);
  const started = process.hrtime.bigint();
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/octet-stream',
          'content-length': String(bytes),
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const part = Math.min(chunk.length, bytes - sent);
        sent += part;
        if (!req.write(part === chunk.length ? chunk : chunk.subarray(0, part)))
          return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { baseline, peak } = stop();
  return {
    bytes,
    seconds,
    mibPerSecond: bytes / MiB / seconds,
    status,
    rssBaselineMiB: baseline / MiB,
    rssPeakMiB: peak / MiB,
    rssGrowthMiB: (peak - baseline) / MiB,
  };
}

export interface StreamResult {
  bytes: number;
  seconds: number;
  mibPerSecond: number;
  eof: boolean;
}

/** Reads a logs websocket that streams `bytes` (mock rack `Mock-Stream-Bytes`) until the EOF frame. */
export function logsThrough(url: string, authorization: string, bytes: number): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let received = 0;
    let eof = false;
    const ws = new WebSocket(url, {
      headers: { authorization, 'Mock-Stream-Bytes': String(bytes) },
      skipUTF8Validation: true,
      perMessageDeflate: false,
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        eof = true;
        ws.close(1000);
      } else received += data.length;
    });
    ws.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ bytes: received, seconds, mibPerSecond: received / MiB / seconds, eof });
    });
    ws.once('error', reject);
  });
}
