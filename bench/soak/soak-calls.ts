import { request } from 'node:http';
import WebSocket from 'ws';

/** What one call of the soak got, and whether that was what it should get. */
export interface CallOutcome {
  expected: boolean;
  /** Shown for an unexpected outcome: the status or the failure. */
  detail: string;
}

const MiB = 1024 * 1024;
const EXIT_MARKER = 'F1E49A85-0AD7-4AEF-A618-C249C6E6568D';
export const basic = (secret: string) => `Basic ${Buffer.from(`convox:${secret}`).toString('base64')}`;

function outcome(expected: boolean, detail: string): CallOutcome {
  return { expected, detail };
}

/** An HTTP call expecting `status`; the body is read and dropped. */
export function httpCall(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string | Buffer },
  status: number,
): Promise<CallOutcome> {
  return new Promise((resolve) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      res.resume();
      res.once('end', () =>
        resolve(outcome(res.statusCode === status, `${init.method ?? 'GET'} ${url} → ${res.statusCode}`)),
      );
      res.once('error', (error) => resolve(outcome(false, `${url}: ${error.message}`)));
    });
    req.once('error', (error) => resolve(outcome(false, `${url}: ${error.message}`)));
    req.end(init.body);
  });
}

/** A source upload of `bytes`, piped in 1 MiB chunks. */
export function upload(url: string, authorization: string, bytes: number): Promise<CallOutcome> {
  const chunk = Buffer.alloc(Math.min(bytes, MiB), 0x5a);
  return new Promise((resolve) => {
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
        res.once('end', () => resolve(outcome(res.statusCode === 200, `upload → ${res.statusCode}`)));
      },
    );
    req.once('error', (error) => resolve(outcome(false, `upload: ${error.message}`)));
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
}

export interface WebsocketExpectation {
  /** Ends a following stream from the client side after this long (else the client waits for `done`). */
  closeAfterMs?: number;
  /** Close codes that count as expected (default a normal close). */
  closeCodes?: number[];
  /** False for a refusal: the gateway closes, the client only listens. Default true. */
  clientCloses?: boolean;
}

/**
 * A websocket the way the convox CLI holds one: `done` decides from the text so far (and whether the
 * rack's EOF frame came) when the client is satisfied. Expected: satisfied, then a close with one of
 * the expected codes.
 */
export function websocketCall(
  url: string,
  headers: Record<string, string>,
  done: (text: string, eof: boolean) => boolean,
  expect: WebsocketExpectation = {},
): Promise<CallOutcome> {
  const { closeAfterMs, closeCodes = [1000, 1005], clientCloses = true } = expect;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, skipUTF8Validation: true, perMessageDeflate: false });
    let text = '';
    let eof = false;
    let satisfied = false;
    const finish = () => {
      satisfied = done(text, eof);
      if (clientCloses && ws.readyState === WebSocket.OPEN) ws.close(1000);
    };
    const timer = closeAfterMs ? setTimeout(finish, closeAfterMs) : undefined;
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) eof = true;
      else text += data.toString('utf8');
      if (!closeAfterMs && (eof || done(text, eof))) finish();
    });
    ws.once('close', (code) => {
      clearTimeout(timer);
      satisfied ||= done(text, eof);
      const ok = satisfied && closeCodes.includes(code);
      resolve(
        outcome(ok, `${url} closed ${code} after ${text.length} chars${satisfied ? '' : ' (not satisfied)'}`),
      );
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(outcome(false, `${url} refused ${res.statusCode}`));
    });
    ws.once('error', (error) => resolve(outcome(false, `${url}: ${error.message}`)));
  });
}

/** `convox exec web 'echo <word>'`: expects the word and exit code 0. */
export function execEcho(url: string, authorization: string, word: string): Promise<CallOutcome> {
  return websocketCall(
    url,
    { authorization, Command: `echo ${word}` },
    (text) => text.includes(`${word}\n`) && text.includes(`${EXIT_MARKER}:0`),
  );
}
