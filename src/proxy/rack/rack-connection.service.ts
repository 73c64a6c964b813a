import { HttpException, HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { rackEndpointFrom, RackNotConfiguredError, type RackEndpoint } from './rack-endpoint';
import { RackTimeoutError } from './rack-failure';

export interface RackRequest {
  method: string;
  /** Path on the rack including the RACK_URL prefix and the raw query. */
  path: string;
  headers: OutgoingHttpHeaders;
}

export interface RackExchange {
  /** Write or pipe the body into this, then end it. Destroy it to abort. */
  request: ClientRequest;
  /** Resolves with the rack's response head; rejects on connection errors, TLS refusal or timeout. */
  response: Promise<IncomingMessage>;
}

/**
 * The gateway's one connection pool to the rack: HTTP/1.1 keep-alive sockets, TLS verified against
 * RACK_CA_FILE (or system roots) and optionally pinned. The RACK_TIMEOUT_MS deadline covers connecting and
 * waiting for response headers after the request body was sent — never a body in flight (a 1 GiB upload
 * takes as long as it takes) and never a response stream that is flowing.
 */
@Injectable()
export class RackConnection implements OnModuleDestroy {
  readonly endpoint: RackEndpoint | null;
  private readonly agent: HttpAgent;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.endpoint = rackEndpointFrom(config.rack);
    const pool = {
      keepAlive: true,
      maxSockets: 256,
      maxFreeSockets: 32,
      scheduling: 'lifo' as const,
      timeout: 60_000,
    };
    this.agent = this.endpoint?.tls ? new HttpsAgent({ ...pool, ...this.endpoint.tls }) : new HttpAgent(pool);
  }

  requireEndpoint(): RackEndpoint {
    if (!this.endpoint)
      throw new HttpException({ error: new RackNotConfiguredError().message }, HttpStatus.BAD_GATEWAY);
    return this.endpoint;
  }

  open(rackRequest: RackRequest): RackExchange {
    const endpoint = this.requireEndpoint();
    const send = endpoint.tls ? httpsRequest : httpRequest;
    const request = send({
      agent: this.agent,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port,
      method: rackRequest.method,
      path: rackRequest.path,
      headers: rackRequest.headers,
      setHost: true,
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
    });
    // Callers that never await `response` (aborted early) must not produce an unhandled rejection.
    response.catch(() => undefined);
    armHeaderDeadline(request, endpoint.timeoutMs);
    return { request, response };
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }
}

/**
 * Deadline while we wait on the rack: from the start until the socket is connected, then again from the
 * moment the whole body was handed over until the response head arrives. Expiry destroys the request with
 * RackTimeoutError (→ 504).
 */
function armHeaderDeadline(request: ClientRequest, timeoutMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  let bodySent = false;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    clear();
    timer = setTimeout(() => request.destroy(new RackTimeoutError(timeoutMs)), timeoutMs);
  };
  arm();
  request.once('socket', (socket: Socket) => {
    const connected = () => {
      if (!bodySent) clear();
    };
    if (socket.connecting) socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', connected);
    else connected();
  });
  request.once('finish', () => {
    bodySent = true;
    arm();
  });
  request.once('response', clear);
  request.once('close', clear);
}
