import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { CliError } from '../cli/cli-error';
import type { GatewayClient } from '../http/gateway-client';
import { RACK_PROXY_PREFIX } from '../http/gateway-client';
import { networkFailureMessage } from '../http/gateway-errors';
import { errorText } from '../cli/error-text';
import { ExitMarkerScanner } from './exit-marker';
import { abnormalEndMessage, isInBandError, isNormalClose } from './stream-end';

/** Convox's client pings every 5 s so idle proxies keep long log/exec sessions open. */
const PING_INTERVAL_MS = 5000;

export interface ConvoxSocketOptions {
  /** Convox options travel as headers on the upgrade request (Command, Tty, Follow, Since, …). */
  headers?: Record<string, string | number | boolean | undefined>;
  /** Sent as text frames; its end becomes the empty binary frame that means EOF to the rack. */
  input?: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** exec/run: look for the exit-code marker instead of printing it. */
  exitMarker?: boolean;
  /** Called once the stream is open (after any MFA prompt), e.g. to put the terminal in raw mode. */
  onOpen?: () => void;
}

export function socketUrl(gatewayUrl: string, convoxPath: string): string {
  return `${gatewayUrl.replace(/^http/, 'ws')}${RACK_PROXY_PREFIX}${convoxPath}`;
}

function readFailureBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', () => resolve(''));
  });
}

/**
 * Runs one Convox websocket session to its end-of-stream and resolves to the remote exit code (when
 * `exitMarker` is set and the rack sent one). Payload arrives in TEXT frames that need not be valid
 * UTF-8, so validation is off; any BINARY frame is end-of-stream. An upgrade refused because MFA is owed
 * (X-MFA-Required) is retried once with a code, like the HTTP calls of GatewayClient.
 */
export function runConvoxSocket(
  client: GatewayClient,
  convoxPath: string,
  options: ConvoxSocketOptions,
): Promise<number | undefined> {
  const scanner = options.exitMarker ? new ExitMarkerScanner() : undefined;
  let socket: WebSocket;
  let pinger: NodeJS.Timeout | undefined;
  const onInput = (chunk: Buffer | string) => socket.send(chunk, { binary: false });
  const onInputEnd = () => {
    if (socket.readyState === WebSocket.OPEN) socket.send(Buffer.alloc(0), { binary: true });
  };

  return new Promise<number | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (error?: CliError) => {
      if (settled) return;
      settled = true;
      if (pinger) clearInterval(pinger);
      options.input?.removeListener('data', onInput);
      options.input?.removeListener('end', onInputEnd);
      options.input?.pause();
      try {
        const rest = scanner?.end();
        if (rest?.length) options.output.write(rest);
      } catch (scanError) {
        error ??= new CliError((scanError as Error).message);
      }
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      else socket.terminate();
      if (error) reject(error);
      else resolve(scanner?.exitCode);
    };

    // An `ERROR: ` frame is held until the next event says what it was: followed by an abnormal close it is
    // the reason the stream failed (printed as the error, exit 1); followed by anything else, just output.
    let heldError: Buffer | undefined;
    const deliver = (data: Buffer) => {
      try {
        const output = scanner ? scanner.push(data) : data;
        if (output.length) options.output.write(output);
      } catch (scanError) {
        finish(new CliError((scanError as Error).message));
      }
    };
    const releaseHeld = () => {
      if (heldError) deliver(heldError);
      heldError = undefined;
    };

    const connect = (mayRetryForMfa: boolean) => {
      const refused = (socket = openSocket(client, convoxPath, options.headers));
      socket.on('unexpected-response', (_request, response) => {
        const requirement = headerValue(response.headers['x-mfa-required']);
        void readFailureBody(response).then(async (body) => {
          const status = response.statusCode ?? 500;
          try {
            if (mayRetryForMfa && (await client.answerMfa(requirement))) {
              // The refused handshake must not report its own end as this session's.
              refused.removeAllListeners();
              refused.on('error', () => undefined);
              refused.terminate();
              return connect(false);
            }
          } catch (error) {
            return finish(error instanceof CliError ? error : new CliError(errorText(error)));
          }
          finish(client.failure(status, body));
        });
      });
      socket.on('error', (error) => finish(new CliError(networkFailureMessage(client.target.url, error))));
      socket.on('open', () => {
        options.onOpen?.();
        pinger = setInterval(() => socket.ping(), PING_INTERVAL_MS);
        if (options.input) {
          options.input.on('data', onInput);
          options.input.on('end', onInputEnd);
          options.input.resume();
        }
      });
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        releaseHeld();
        if (isBinary) return finish();
        if (isInBandError(data)) heldError = data;
        else deliver(data);
      });
      socket.on('close', (code: number, reason: Buffer) => {
        if (isNormalClose(code)) {
          releaseHeld();
          return finish();
        }
        finish(new CliError(abnormalEndMessage(heldError, code, reason.toString('utf8'))));
      });
    };
    connect(true);
  });
}

function openSocket(
  client: GatewayClient,
  convoxPath: string,
  extraHeaders: ConvoxSocketOptions['headers'],
): WebSocket {
  // Read per attempt: a code given at the MFA prompt is in authHeaders() for the retry.
  const headers: Record<string, string> = { ...client.authHeaders() };
  for (const [name, value] of Object.entries(extraHeaders ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }
  return new WebSocket(socketUrl(client.target.url, convoxPath), {
    headers,
    skipUTF8Validation: true,
    perMessageDeflate: false,
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
