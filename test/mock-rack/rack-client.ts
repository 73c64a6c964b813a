import { request } from 'node:http';
import WebSocket from 'ws';
import type { MockRack } from '../../src/dev/mock-rack';

export interface RackResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function basicAuth(password: string, user = 'convox'): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * A raw HTTP/1.1 request with the path sent exactly as given (fetch would normalise `..` and `?`), and
 * the CLI's default headers.
 */
export function rackRequest(
  rack: MockRack,
  method: string,
  path: string,
  options: { body?: string | Buffer; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<RackResponse> {
  const body = options.form ? new URLSearchParams(options.form).toString() : options.body;
  const headers: Record<string, string> = {
    Accept: '*/*',
    Authorization: basicAuth(rack.password),
    'Content-Type': options.form ? 'application/x-www-form-urlencoded' : 'application/octet-stream',
    ...options.headers,
  };
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: rack.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function rackJson<T = unknown>(
  rack: MockRack,
  method: string,
  path: string,
  form?: Record<string, string>,
) {
  const response = await rackRequest(rack, method, path, { form });
  if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${response.text}`);
  return JSON.parse(response.text) as T;
}

export interface SocketTranscript {
  /** Concatenated payload of the text frames received before EOF. */
  text: string;
  textFrames: Buffer[];
  /** True when the empty binary EOF frame arrived. */
  eof: boolean;
}

/**
 * Opens a rack websocket like the CLI (options as headers, Basic auth, same-origin Origin), optionally
 * sends stdin frames and the client EOF, and collects frames until the server's empty binary frame.
 */
export function rackSocket(
  rack: MockRack,
  path: string,
  options: {
    headers?: Record<string, string>;
    stdin?: (string | Buffer)[];
    sendEof?: boolean;
    until?: (transcript: SocketTranscript) => boolean;
    timeoutMs?: number;
  } = {},
): Promise<SocketTranscript> {
  const ws = new WebSocket(`${rack.url.replace(/^http/, 'ws')}${path}`, {
    headers: { Authorization: basicAuth(rack.password), Origin: rack.url, ...options.headers },
    skipUTF8Validation: true,
    perMessageDeflate: false,
  });
  const transcript: SocketTranscript = { text: '', textFrames: [], eof: false };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`socket ${path} timed out; got ${JSON.stringify(transcript.text.slice(-500))}`));
    }, options.timeoutMs ?? 10_000);
    const finish = () => {
      clearTimeout(timer);
      ws.close(1000);
      resolve(transcript);
    };
    ws.on('open', () => {
      for (const chunk of options.stdin ?? []) ws.send(chunk, { binary: false });
      if (options.sendEof) ws.send(Buffer.alloc(0), { binary: true });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        transcript.eof = true;
        return finish();
      }
      transcript.textFrames.push(data);
      transcript.text += data.toString('utf8');
      if (options.until?.(transcript)) finish();
    });
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`bad handshake: ${res.statusCode}`));
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
