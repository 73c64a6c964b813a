import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline as pipeStreams, Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RackContext } from '../rack-context';
import type { RecordedRequest } from './recorded-request';
import type { RackRole } from './rack-jwt';
import { RackError } from './rack-error';
import { sendEmpty, sendJson, sendOk } from './wire-format';

const FORM_LIMIT = 10 * 1024 * 1024;
const FORM_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One authenticated HTTP request on its way through a route handler. */
export class HttpExchange {
  private body = Buffer.alloc(0);
  private formValues = new URLSearchParams();

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly params: Record<string, string>,
    readonly query: URLSearchParams,
    readonly rack: RackContext,
    readonly record: RecordedRequest,
    readonly role: RackRole,
  ) {}

  /**
   * Go's r.Form: url-encoded body fields first, then the query string. GET bodies are ignored (the
   * CLI's `certs --generated` sends one); DELETE bodies are parsed because budget clear needs them.
   */
  async readForm(): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      this.record.bodyBytes = size;
      if (size > FORM_LIMIT) throw RackError.badRequest('request body too large');
      chunks.push(chunk);
    }
    this.body = Buffer.concat(chunks);
    const contentType = (this.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType === 'application/x-www-form-urlencoded' && FORM_METHODS.has(this.req.method ?? '')) {
      this.formValues = new URLSearchParams(this.body.toString('utf8'));
    }
    for (const [key, value] of this.query) this.formValues.append(key, value);
  }

  /** Upload routes leave the body to the handler; only the query string counts as form then. */
  useQueryAsForm(): void {
    for (const [key, value] of this.query) this.formValues.append(key, value);
  }

  get rawBody(): Buffer {
    return this.body;
  }

  param(name: string): string {
    return this.params[name] ?? '';
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** A form (or query) field only. */
  field(name: string): string | undefined {
    return this.formValues.get(name) ?? undefined;
  }

  /** stdapi's c.Value: the form field, else a header of the same name. */
  value(name: string): string | undefined {
    return this.field(name) ?? this.header(name);
  }

  flag(name: string, from: 'field' | 'value' = 'field'): boolean | undefined {
    const raw = from === 'field' ? this.field(name) : this.value(name);
    if (raw === undefined || raw === '') return undefined;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw RackError.badRequest(`invalid boolean for ${name}: ${raw}`);
  }

  integer(name: string, from: 'field' | 'value' = 'field'): number | undefined {
    const raw = from === 'field' ? this.field(name) : this.value(name);
    if (raw === undefined || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw)) throw RackError.badRequest(`invalid integer for ${name}: ${raw}`);
    return Number(raw);
  }

  /**
   * The request body as a stream that counts bytes for the record; an aborted upload destroys it with
   * the error, so whatever consumes it fails instead of hanging.
   */
  bodyStream(): Readable {
    const record = this.record;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        record.bodyBytes += chunk.length;
        done(null, chunk);
      },
    });
    pipeStreams(this.req, counter, () => undefined);
    return counter;
  }

  /** Reads and throws away the body (imports the mock does not keep), with backpressure. */
  async discardBody(): Promise<number> {
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await pipeline(this.bodyStream(), sink);
    return this.record.bodyBytes;
  }

  json(value: unknown, status = 200): void {
    sendJson(this.res, value, status);
  }

  ok(): void {
    sendOk(this.res);
  }

  empty(status: number): void {
    sendEmpty(this.res, status);
  }
}
