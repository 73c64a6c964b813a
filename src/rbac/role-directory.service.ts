import { isDatabaseUnavailable } from '../database/database-unavailable';
import { DatabaseOutageLog } from '../database/outage-log';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { NotificationBus } from '../database/notification-bus';
import { isRoleName, ROLE_NAMES, ROLES, rolePermissions } from './roles';

/** A role an admin defined: a name, what it is for, and catalog patterns. */
export interface CustomRole {
  name: string;
  description: string;
  permissions: string[];
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

/** A role as the API lists it: built-in ones are read-only. */
export interface RoleSummary {
  name: string;
  description: string;
  builtIn: boolean;
  humanAssignable: boolean;
  permissions: string[];
}

export const ROLES_TOPIC = 'roles';
// While the bus is down, messages can be missed: re-read at this pace until it listens again.
const UNHEARD_RELOAD_MS = 1000;

interface Row {
  name: string;
  description: string;
  permissions: string[];
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

/**
 * Every role, built-in (code, read-only) and custom (table `custom_roles`), answered from memory because
 * permissions are derived on every request. Each write publishes on the notification bus in its
 * transaction and every gateway process re-reads the table when it hears it; the writing process
 * re-reads before answering, so its next request already sees the change.
 */
@Injectable()
export class RoleDirectory implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoleDirectory.name);
  private custom = new Map<string, CustomRole>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private readsStarted = 0;
  private appliedRead = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: NotificationBus,
    private readonly outage: DatabaseOutageLog,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = this.bus.subscribe(ROLES_TOPIC, {
      message: () => void this.reloadQuietly(),
      reset: () => void this.reloadQuietly(),
    });
    this.timer = setInterval(() => {
      if (!this.bus.listening) void this.reloadQuietly();
    }, UNHEARD_RELOAD_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  // Migrations run at bootstrap (DatabaseModule first), so the table is read from here on.
  onApplicationBootstrap(): Promise<void> {
    return this.reload();
  }

  /**
   * Reads the table again. Every call starts its own read (one already running may have started before
   * the change its caller just committed), and a read never overwrites the result of a later one.
   */
  async reload(): Promise<void> {
    const started = ++this.readsStarted;
    const custom = await RoleDirectory.read(this.dataSource.manager);
    if (started > this.appliedRead) {
      this.appliedRead = started;
      this.custom = custom;
    }
  }

  /** Changes whenever the custom roles were read again, so whatever was derived from them can be re-derived. */
  get version(): number {
    return this.appliedRead;
  }

  /** The patterns a role holds (parents included for built-ins); unknown names hold nothing. */
  patternsOf(role: string): string[] {
    if (isRoleName(role)) return rolePermissions(role);
    return [...(this.custom.get(role)?.permissions ?? [])];
  }

  exists(role: string): boolean {
    return isRoleName(role) || this.custom.has(role);
  }

  /** The roles a person may hold, built-in first (cicd excluded), then custom ones by name. */
  humanAssignable(): string[] {
    return this.list()
      .filter((role) => role.humanAssignable)
      .map((role) => role.name);
  }

  customRole(name: string): CustomRole | undefined {
    const role = this.custom.get(name);
    return role ? { ...role, permissions: [...role.permissions] } : undefined;
  }

  list(): RoleSummary[] {
    const builtIn = ROLE_NAMES.map((name) => ({
      name,
      description: ROLES[name].description,
      builtIn: true,
      humanAssignable: ROLES[name].humanAssignable,
      permissions: rolePermissions(name),
    }));
    const custom = [...this.custom.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((role) => ({
        name: role.name,
        description: role.description,
        builtIn: false,
        humanAssignable: true,
        permissions: [...role.permissions],
      }));
    return [...builtIn, ...custom];
  }

  /** Reads the custom roles inside `manager`'s transaction (the writer's view, before it commits). */
  static async read(manager: EntityManager): Promise<Map<string, CustomRole>> {
    const rows = (await manager.query(
      'SELECT name, description, permissions, created_at, updated_at, updated_by FROM custom_roles',
    )) as Row[];
    return new Map(rows.map((row) => [row.name, toCustomRole(row)]));
  }

  private async reloadQuietly(): Promise<void> {
    try {
      await this.reload();
    } catch (error) {
      // Keep the last known roles: a missing table (before migrations) or an outage must not crash. An
      // outage is logged once per interval with every other part that lost the database, not per reload.
      if (isDatabaseUnavailable(error)) this.outage.report('custom roles not re-read', error);
      else this.logger.warn({ err: error }, 'could not re-read custom roles');
    }
  }
}

function toCustomRole(row: Row): CustomRole {
  return {
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}
