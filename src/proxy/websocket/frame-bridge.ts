import { WebSocket, type RawData } from 'ws';

export interface BridgeOptions {
  /** Pause the reading side while the writing side holds more than this many unsent bytes. */
  highWaterBytes: number;
  /** Resume once it has drained below this. */
  lowWaterBytes: number;
  /** Ping both sides this often; a side that did not answer the previous ping is cut. */
  pingIntervalMs: number;
  /** After relaying a close, how long the other side gets to finish the closing handshake. */
  closeGraceMs: number;
}

export const DEFAULT_BRIDGE_OPTIONS: BridgeOptions = {
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
  pingIntervalMs: 30_000,
  closeGraceMs: 5_000,
};

export interface BridgeEnd {
  /** The close code and reason the client was given (or gave), 1006 when a connection just dropped. */
  code: number;
  reason: string;
  bytesFromClient: number;
  bytesFromRack: number;
  /** The rack's connection dropped before its end-of-stream: the client got 1011 instead of the stream. */
  rackLost: boolean;
  /** The gateway ended the session itself (`Bridge.end`), for instance because access was revoked. */
  endedByGateway: boolean;
}

export interface BridgeHooks {
  /** Called for every rack → client frame before it is relayed (the exit marker scan). */
  onRackFrame?(data: Buffer, isBinary: boolean): void;
}

/** One relayed session: `ended` settles once both sides are closed. */
export interface Bridge {
  ended: Promise<BridgeEnd>;
  /**
   * Ends the session from the gateway: the client gets the reason in-band (a text frame `ERROR: <reason>`,
   * which the convox CLI prints) and in a close frame with `code`; the rack is told the client went away.
   */
  end(code: number, reason: string): void;
}

/** What the client is told when the rack's connection drops in the middle of a stream. */
export const RACK_LOST = { code: 1011, reason: 'rack connection lost' } as const;

/**
 * Relays two websockets frame by frame: text stays text (never UTF-8 validated: terminal output is bytes),
 * binary stays binary (an empty binary frame is the rack's EOF and must arrive as one), close codes and
 * reasons pass through. Backpressure: a side is paused while the other's send buffer is above the high
 * water mark. Both sides are pinged so idle sessions survive intermediaries and dead peers are noticed.
 * A rack connection that drops before the rack's end-of-stream is reported to the client as 1011 with a
 * reason instead of a bare 1006, so a client can tell a lost rack from a finished stream.
 */
export function bridgeWebsockets(
  client: WebSocket,
  rack: WebSocket,
  options: BridgeOptions = DEFAULT_BRIDGE_OPTIONS,
  hooks: BridgeHooks = {},
): Bridge {
  const counts = { fromClient: 0, fromRack: 0 };
  let first: { code: number; reason: string } | undefined;
  let rackFinished = false;
  let rackLost = false;
  let endedByGateway = false;
  relay(client, rack, options, (data) => {
    counts.fromClient += data.length;
  });
  relay(rack, client, options, (data, isBinary) => {
    counts.fromRack += data.length;
    // Any binary frame is the rack's end-of-stream; a drop after it is just the rack hanging up.
    if (isBinary) rackFinished = true;
    hooks.onRackFrame?.(data, isBinary);
  });
  const stopPings = keepAlive([client, rack], options.pingIntervalMs);
  const ended = new Promise<BridgeEnd>((resolve) => {
    let closed = 0;
    const onClose = (side: WebSocket, other: WebSocket) => (code: number, reason: Buffer) => {
      if (endedByGateway) {
        // The gateway already closed both sides with its own words.
      } else if (side === rack && code === 1006 && !rackFinished && !first) {
        rackLost = true;
        first ??= { ...RACK_LOST };
        closeWithError(client, RACK_LOST.code, RACK_LOST.reason, options.closeGraceMs);
      } else {
        first ??= { code, reason: reason.toString('utf8') };
        passClose(other, code, reason, options.closeGraceMs);
      }
      closed += 1;
      if (closed === 2) {
        stopPings();
        resolve({
          ...(first ?? { code, reason: reason.toString('utf8') }),
          bytesFromClient: counts.fromClient,
          bytesFromRack: counts.fromRack,
          rackLost,
          endedByGateway,
        });
      }
    };
    client.once('close', onClose(client, rack));
    rack.once('close', onClose(rack, client));
    // Errors always end in `close`; without a listener they would crash the process.
    client.on('error', () => client.terminate());
    rack.on('error', () => rack.terminate());
  });
  return {
    ended,
    end: (code, reason) => {
      if (endedByGateway || first) return;
      endedByGateway = true;
      first = { code, reason };
      closeWithError(client, code, reason, options.closeGraceMs);
      passClose(rack, 1001, Buffer.alloc(0), options.closeGraceMs);
    },
  };
}

/**
 * Tells a client why its stream ends: the convox CLI prints text frames and knows nothing of close
 * reasons, so the reason also goes as the `ERROR: <reason>` line a rack sends for its own errors.
 */
export function closeWithError(socket: WebSocket, code: number, reason: string, graceMs: number): void {
  if (socket.readyState === WebSocket.OPEN) {
    socket.send(`ERROR: ${reason}\n`, { binary: false });
    socket.close(code, Buffer.from(reason, 'utf8').subarray(0, 123));
  }
  if (socket.readyState !== WebSocket.CLOSED) setTimeout(() => socket.terminate(), graceMs).unref();
}

function relay(
  from: WebSocket,
  to: WebSocket,
  options: BridgeOptions,
  observe: (data: Buffer, isBinary: boolean) => void,
): void {
  let paused = false;
  const drained = () => {
    if (paused && to.bufferedAmount < options.lowWaterBytes) {
      paused = false;
      from.resume();
    }
  };
  from.on('message', (raw: RawData, isBinary: boolean) => {
    const data = toBuffer(raw);
    observe(data, isBinary);
    if (to.readyState !== WebSocket.OPEN) return;
    to.send(data, { binary: isBinary }, drained);
    if (!paused && to.bufferedAmount > options.highWaterBytes) {
      paused = true;
      from.pause();
    }
  });
}

/** Sends the same close to the other side when allowed on the wire; otherwise ends it plainly. */
function passClose(other: WebSocket, code: number, reason: Buffer, graceMs: number): void {
  if (other.readyState === WebSocket.CLOSED) return;
  if (code === 1006) {
    other.terminate();
    return;
  }
  if (other.readyState === WebSocket.OPEN) {
    if (sendableCloseCode(code)) other.close(code, reason.subarray(0, 123));
    else other.close();
  }
  setTimeout(() => other.terminate(), graceMs).unref();
}

/** Codes a peer may put in a close frame (RFC 6455 §7.4): not 1004–1006, 1015, or reserved ranges. */
export function sendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function keepAlive(sockets: WebSocket[], intervalMs: number): () => void {
  const alive = new Map<WebSocket, boolean>(sockets.map((socket) => [socket, true]));
  for (const socket of sockets) socket.on('pong', () => alive.set(socket, true));
  const timer = setInterval(() => {
    for (const socket of sockets) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (!alive.get(socket)) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
