import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noticeTitleOf } from './sink-summary';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from '../../notifications/webhook-signature';
import type { DevInbox } from './dev-inbox';

export interface WebhookSink {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A development receiver on loopback for the two HTTP notification channels: `POST /slack` stands in for
 * a Slack incoming webhook, `POST /webhook` for a signed-webhook receiver (it verifies the signature the
 * way a real receiver should and records the verdict). `GET /` lists everything received, emails too.
 */
export async function startWebhookSink(
  inbox: DevInbox,
  webhookSecret: string,
  port = 0,
): Promise<WebhookSink> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body, null, 2));
    };
    if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
      return reply(200, { messages: inbox.list() });
    }
    if (req.method !== 'POST' || (req.url !== '/slack' && req.url !== '/webhook')) {
      return reply(404, { error: 'POST /slack or /webhook, GET /' });
    }
    readBody(req).then(
      (body) => {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          return reply(400, { error: 'body is not JSON' });
        }
        if (req.url === '/slack') {
          inbox.add({
            channel: 'slack',
            summary: (json as { text?: string }).text ?? '(no text)',
            content: json,
          });
          return reply(200, { ok: true });
        }
        const verdict = verifyWebhook(
          webhookSecret,
          { signature: header(req, SIGNATURE_HEADER), timestamp: header(req, TIMESTAMP_HEADER) },
          body,
        );
        const headers = {
          [SIGNATURE_HEADER]: header(req, SIGNATURE_HEADER),
          [TIMESTAMP_HEADER]: header(req, TIMESTAMP_HEADER),
          [DELIVERY_HEADER]: header(req, DELIVERY_HEADER),
        };
        inbox.add({
          channel: 'webhook',
          summary: `${noticeTitleOf(json)} (signature: ${verdict})`,
          content: { verdict, headers, body: json },
        });
        reply(verdict === 'valid' ? 200 : 401, { verdict });
      },
      () => reply(400, { error: 'could not read the body' }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
