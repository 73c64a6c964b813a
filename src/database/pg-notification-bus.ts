import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { BUS_PAYLOAD_LIMIT, BusSubscriber, channelOf, NotificationBus } from './notification-bus';
import { DatabaseOutageLog } from './outage-log';

export const DATABASE_URL = Symbol('DATABASE_URL');
export const LISTENER_APPLICATION_NAME = 'rack-gateway-listener';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;
// A silently dead TCP connection delivers nothing and reports nothing; a periodic query notices it.
const HEALTH_CHECK_MS = 15000;
// What a connection closed by the server without an error event is reported as.
const ENDED = new Error('Connection terminated');

/**
 * The bus on PostgreSQL LISTEN/NOTIFY. One dedicated connection (outside the pool, which hands
 * connections to whoever asks) LISTENs on every subscribed channel. When it drops, subscribers are
 * reset at once (their caches are no longer kept current) and it reconnects with exponential backoff;
 * after reconnecting it LISTENs again and resets them once more, since anything sent meanwhile was lost.
 * Publishing uses the ordinary pool, or the caller's transaction. A loss is reported to the outage log (one
 * line with the reason, once per interval however often it drops); failed reconnect attempts log nothing.
 */
@Injectable()
export class PgNotificationBus extends NotificationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationBus');
  private readonly subscribers = new Map<string, Set<BusSubscriber>>();
  private client?: Client;
  private connected = false;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;
  // Queries on the listening connection, one after another: several subscribers may LISTEN at once at boot, and
  // pg refuses (deprecates) a query issued while another is still running on the same client.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DATABASE_URL) private readonly url: string,
    private readonly dataSource: DataSource,
    private readonly outage: DatabaseOutageLog,
  ) {
    super();
  }

  get listening(): boolean {
    return this.connected;
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
    this.healthTimer = setInterval(() => void this.checkHealth(), HEALTH_CHECK_MS);
    this.healthTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.healthTimer);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  subscribe(topic: string, subscriber: BusSubscriber): () => void {
    const channel = channelOf(topic);
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
      // Until the LISTEN is in place messages on this channel are lost, so its subscribers are reset once it
      // is. A failure drops the connection, whose reconnect LISTENs on every channel and resets everyone.
      const client = this.client;
      if (this.connected && client) {
        void this.listen(client, channel)
          .then(() => set?.forEach((subscriber) => subscriber.reset()))
          .catch((error: unknown) => this.lost(client, error));
      }
    }
    set.add(subscriber);
    return () => set.delete(subscriber);
  }

  async publish(topic: string, payload: string, manager?: EntityManager): Promise<void> {
    if (Buffer.byteLength(payload) > BUS_PAYLOAD_LIMIT)
      throw new Error(`bus payload over ${BUS_PAYLOAD_LIMIT} bytes`);
    await (manager ?? this.dataSource).query('SELECT pg_notify($1, $2)', [channelOf(topic), payload]);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.url,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
    });
    client.on('notification', (notification: Notification) => this.deliver(notification));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    this.client = client;
    this.queue = Promise.resolve();
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await this.listen(client, channel);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return;
    if (this.retryMs !== FIRST_RETRY_MS) this.logger.log('listening connection back; caches in use again');
    this.connected = true;
    this.retryMs = FIRST_RETRY_MS;
    this.resetAll();
  }

  private listen(client: Client, channel: string): Promise<unknown> {
    // Channel names come from channelOf (lower-case letters, digits, _), so quoting is safe.
    return this.inTurn(client, `LISTEN "${channel}"`);
  }

  private inTurn(client: Client, sql: string): Promise<unknown> {
    const result = this.queue.then(() => client.query(sql));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private deliver(notification: Notification): void {
    for (const subscriber of this.subscribers.get(notification.channel) ?? []) {
      try {
        subscriber.message(notification.payload ?? '');
      } catch (error) {
        this.logger.error({ err: error, channel: notification.channel }, 'bus subscriber failed');
      }
    }
  }

  /** The connection is gone (error, end, or a failed connect): reset subscribers and try again later. */
  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    const wasConnected = this.connected;
    this.connected = false;
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    if (wasConnected) {
      this.outage.report('listening connection lost, caches bypassed until it is back', error ?? ENDED);
      this.resetAll();
    }
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private async checkHealth(): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('listening connection did not answer')), HEALTH_CHECK_MS / 3);
    });
    try {
      await Promise.race([this.inTurn(client, 'SELECT 1'), timeout]);
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private resetAll(): void {
    for (const set of this.subscribers.values()) {
      for (const subscriber of set) {
        try {
          subscriber.reset();
        } catch (error) {
          this.logger.error({ err: error }, 'bus subscriber failed to reset');
        }
      }
    }
  }
}
