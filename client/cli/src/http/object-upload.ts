import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError } from '../cli/cli-error';
import type { GatewayClient } from './gateway-client';
import { RACK_PROXY_PREFIX } from './gateway-client';
import { networkFailureMessage } from './gateway-errors';

export interface UploadProgress {
  start(totalBytes: number): void;
  advance(sentBytes: number): void;
  stop(): void;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/**
 * Streams a file to a Convox path as a raw body with a Content-Length (the rack's object store wants
 * one), so a large source archive is never held in memory.
 */
export async function uploadFile(
  client: GatewayClient,
  convoxPath: string,
  filePath: string,
  progress: UploadProgress,
): Promise<string> {
  const size = statSync(filePath).size;
  const url = new URL(client.url(`${RACK_PROXY_PREFIX}${convoxPath}`));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const request = send(url, {
    method: 'POST',
    headers: {
      ...client.authHeaders(),
      Accept: 'application/json',
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
    },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      progress.advance(sent);
      callback(null, chunk);
    },
  });
  progress.start(size);
  try {
    // The gateway may answer (for instance 403) before reading the whole body; the answer wins.
    const [response] = await Promise.all([
      answered,
      pipeline(createReadStream(filePath), counter, request).catch(() => undefined),
    ]);
    const body = await readBody(response);
    if ((response.statusCode ?? 500) >= 400) throw client.failure(response.statusCode ?? 500, body);
    return body;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(networkFailureMessage(client.target.url, error));
  } finally {
    progress.stop();
  }
}
