import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { NotificationBus } from '../database/notification-bus';
import { type AccessChange, parseAccessChange } from './access-change';
import { AccessChangeSignal } from './access-change.signal';

export const ACCESS_CHANGES_TOPIC = 'access_changes';

/** What travels on the bus: the change, and which process made it. */
interface RelayedChange {
  origin: string;
  change: AccessChange;
}

/**
 * Carries access changes between gateway processes on one database, so a websocket open on any replica
 * ends when its token is revoked (or its user locked …) through another. Each change made here is published
 * once it is committed (the services raise it after their transaction); each change another process
 * published is raised here as `remote`. The bus delivers to the sender too: messages carry this process's
 * id and its own are skipped, since they were already applied locally.
 *
 * Delivery is at most once: a change published while this process's listening connection is down is not
 * seen here: such a session runs on until its stream ends or a later change concerning it arrives.
 */
@Injectable()
export class AccessChangeRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AccessChangeRelay');
  /** This process, as the origin of the changes it publishes. */
  private readonly origin = randomUUID();
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly signal: AccessChangeSignal,
    private readonly bus: NotificationBus,
  ) {}

  onModuleInit(): void {
    this.stops.push(
      this.bus.subscribe(ACCESS_CHANGES_TOPIC, {
        message: (payload) => void this.received(payload),
        // Nothing is derived from earlier messages, so there is nothing to forget.
        reset: () => undefined,
      }),
      this.signal.listen((change, origin) => (origin === 'local' ? this.publish(change) : undefined)),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Awaited by the change's `raise`, so the admin call answers once every process has been told. */
  private async publish(change: AccessChange): Promise<void> {
    const message: RelayedChange = { origin: this.origin, change };
    try {
      await this.bus.publish(ACCESS_CHANGES_TOPIC, JSON.stringify(message));
    } catch (error) {
      // The change is committed and applied here; other processes miss it (see above), which is logged.
      this.logger.error(`could not relay ${change.kind} to other gateway processes: ${String(error)}`);
    }
  }

  private async received(payload: string): Promise<void> {
    const message = parseRelayed(payload);
    if (!message) {
      this.logger.warn('ignored a malformed access change from the bus');
      return;
    }
    if (message.origin === this.origin) return;
    await this.signal.raise(message.change, 'remote');
  }
}

function parseRelayed(payload: string): RelayedChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { origin, change } = value as Record<string, unknown>;
  if (typeof origin !== 'string') return undefined;
  const parsed = parseAccessChange(JSON.stringify(change));
  return parsed ? { origin, change: parsed } : undefined;
}
