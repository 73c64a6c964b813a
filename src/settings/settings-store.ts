import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { NotificationBus } from '../database/notification-bus';
import type { Json } from './setting-types';

/** One row of `gateway_settings`. */
export interface StoredSetting {
  key: string;
  value: Json;
  updatedAt: Date;
  updatedBy: string | null;
}

export type StoredScope = Map<string, StoredSetting>;

/** Rows are grouped by scope: `global`, or `app:<name>`. */
export const scopeOf = (app?: string): string => (app === undefined ? 'global' : `app:${app}`);

export const SETTINGS_TOPIC = 'settings';
// Bounds memory when many apps are read; an evicted scope is simply read again.
const MAX_CACHED_SCOPES = 2000;

interface Row {
  key: string;
  value: Json;
  updated_at: Date;
  updated_by: string | null;
}

/**
 * `gateway_settings` behind a small cache of whole scopes (a scope is a handful of rows). Every write
 * publishes the scope on the notification bus inside its transaction, so every process — this one
 * included — drops that scope once the write commits. The cache is used only while the bus is listening:
 * otherwise a missed message could keep an old value forever, so reads go to the database.
 */
@Injectable()
export class SettingsStore implements OnModuleInit {
  private readonly cache = new Map<string, StoredScope>();
  // Bumped by every invalidation: a read that started before one must not cache what it got.
  private epoch = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: NotificationBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(SETTINGS_TOPIC, {
      message: (scope) => this.invalidate(scope),
      reset: () => this.invalidate(),
    });
  }

  async scope(scope: string): Promise<StoredScope> {
    const cached = this.cache.get(scope);
    if (cached && this.bus.listening) return cached;
    const epoch = this.epoch;
    const listening = this.bus.listening;
    const rows = await this.load(this.dataSource.manager, scope);
    if (listening && this.bus.listening && epoch === this.epoch) {
      if (this.cache.size >= MAX_CACHED_SCOPES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(scope, rows);
    }
    return rows;
  }

  /**
   * Stores `value` (or removes the row when null) under a per-key lock and returns the row before and
   * after. The change is announced to every process in the same transaction.
   */
  async change(
    scope: string,
    key: string,
    value: Json | null,
    actor: string | null,
  ): Promise<{ before?: StoredSetting; after?: StoredSetting }> {
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `settings:${scope}:${key}`,
      ]);
      const before = (await this.load(manager, scope)).get(key);
      let after: StoredSetting | undefined;
      if (value === null) {
        await manager.query('DELETE FROM gateway_settings WHERE scope = $1 AND key = $2', [scope, key]);
      } else {
        const [row] = (await manager.query(
          `INSERT INTO gateway_settings (scope, key, value, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, now(), $4)
           ON CONFLICT (scope, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at,
             updated_by = EXCLUDED.updated_by
           RETURNING key, value, updated_at, updated_by`,
          [scope, key, JSON.stringify(value), actor],
        )) as Row[];
        after = toStored(row);
      }
      await this.bus.publish(SETTINGS_TOPIC, scope, manager);
      return { before, after };
    });
    // Our own notification arrives too, but the caller's next read must not wait for it.
    this.invalidate(scope);
    return result;
  }

  private invalidate(scope?: string): void {
    this.epoch += 1;
    if (scope === undefined) this.cache.clear();
    else this.cache.delete(scope);
  }

  private async load(manager: EntityManager, scope: string): Promise<StoredScope> {
    const rows = (await manager.query(
      'SELECT key, value, updated_at, updated_by FROM gateway_settings WHERE scope = $1',
      [scope],
    )) as Row[];
    return new Map(rows.map((row) => [row.key, toStored(row)]));
  }
}

function toStored(row: Row): StoredSetting {
  return { key: row.key, value: row.value, updatedAt: row.updated_at, updatedBy: row.updated_by };
}
