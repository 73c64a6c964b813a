import WebSocket from 'ws';

/** How a websocket ended, as its client saw it. */
export interface SocketClose {
  code: number;
  reason: string;
  /** Date.now() when the close arrived. */
  at: number;
}

/** A websocket held open by a test: what it received so far, and how it ended once it does. */
export interface LiveWebsocket {
  ws: WebSocket;
  /** The request id the gateway answered the upgrade with. */
  requestId(): string;
  /** Every text frame so far, concatenated. */
  text(): string;
  /** Resolves once `text()` contains `expected` (rejects after `ms`). */
  waitForText(expected: string, ms?: number): Promise<void>;
  closed: Promise<SocketClose>;
}

/**
 * Opens a websocket like the convox CLI does (no UTF-8 validation) and keeps it open: the test decides when
 * it should end. A refusal answered with plain HTTP rejects `closed` with the status.
 */
export function openLiveWebsocket(url: string, headers: Record<string, string>): LiveWebsocket {
  const ws = new WebSocket(url, { headers, skipUTF8Validation: true, perMessageDeflate: false });
  let text = '';
  let requestId = '';
  const waiters = new Set<() => void>();
  ws.on('upgrade', (res) => (requestId = String(res.headers['x-request-id'] ?? '')));
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) return;
    text += data.toString('utf8');
    for (const check of waiters) check();
  });
  const closed = new Promise<SocketClose>((resolve, reject) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8'), at: Date.now() }));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      reject(new Error(`refused with HTTP ${res.statusCode}`));
    });
    ws.on('error', reject);
  });
  // The test may never await `closed` when something else failed first; do not crash on it.
  closed.catch(() => undefined);
  return {
    ws,
    requestId: () => requestId,
    text: () => text,
    closed,
    waitForText: (expected, ms = 5000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no "${expected}" within ${ms} ms; got: ${text.slice(-300)}`));
        }, ms);
        const check = () => {
          if (!text.includes(expected)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}
