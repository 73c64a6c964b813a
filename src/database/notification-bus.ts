import type { EntityManager } from 'typeorm';

/** What a subscriber of one topic is told. */
export interface BusSubscriber {
  /** A message published on the topic by any gateway process on this database, this one included. */
  message(payload: string): void;
  /**
   * Messages may have been missed (the listening connection dropped, or was just re-established):
   * forget everything derived from earlier messages. Until `listening` is true again nothing arrives.
   */
  reset(): void;
}

/** Topic names become PostgreSQL channel names (`rgw_<topic>`). */
export const BUS_TOPIC = /^[a-z][a-z0-9_]{0,50}$/;
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const BUS_PAYLOAD_LIMIT = 7900;

/**
 * Messages between every gateway process on one database (cache invalidation, revocations). Delivery is
 * at most once: a subscriber that keeps state must drop it on `reset` and must not trust it while
 * `listening` is false.
 */
export abstract class NotificationBus {
  /** Whether messages are being received right now. */
  abstract get listening(): boolean;

  /** Starts delivering `topic` to `subscriber`; the returned function stops it. */
  abstract subscribe(topic: string, subscriber: BusSubscriber): () => void;

  /**
   * Sends `payload` to every subscriber of `topic`. Given the manager of an open transaction, the message
   * is delivered only if and when that transaction commits, so nobody hears of a change that was rolled
   * back or reads the old value after hearing of the new one.
   */
  abstract publish(topic: string, payload: string, manager?: EntityManager): Promise<void>;
}

export function channelOf(topic: string): string {
  if (!BUS_TOPIC.test(topic)) throw new Error(`invalid bus topic ${JSON.stringify(topic)}`);
  return `rgw_${topic}`;
}
