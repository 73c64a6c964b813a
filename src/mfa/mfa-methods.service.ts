import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull, Not, Repository } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { BackupCodesService } from './backup-codes.service';
import { MfaMethodEntity } from './entities/mfa-method.entity';
import { TrustedDevicesService } from './trusted-devices.service';

export interface MfaMethodView {
  id: string;
  kind: string;
  label: string;
  cliCapable: boolean;
  /** The method this person's challenges open on (exactly one of their methods). */
  preferred: boolean;
  createdAt: string;
  lastUsedAt?: string;
}

/**
 * Listing, relabelling and removing a user's confirmed factors, and which one is preferred; an admin reset
 * removes everything. Every enrolled user has exactly one preferred method: the first one confirmed becomes
 * it, the person may choose another, and removing it passes the preference to the oldest remaining method.
 * Changes to the preference take a per-user advisory lock, so two at once cannot leave none or two.
 */
@Injectable()
export class MfaMethodsService {
  constructor(
    @InjectRepository(MfaMethodEntity) private readonly methods: Repository<MfaMethodEntity>,
    private readonly dataSource: DataSource,
    private readonly backupCodes: BackupCodesService,
    private readonly trustedDevices: TrustedDevicesService,
  ) {}

  async list(userId: string): Promise<MfaMethodView[]> {
    const rows = await this.methods.find({
      where: { userId, confirmedAt: Not(IsNull()) },
      order: { createdAt: 'ASC' },
    });
    return rows.map(viewOf);
  }

  async update(
    userId: string,
    id: string,
    changes: { label?: string; cliCapable?: boolean },
  ): Promise<MfaMethodView> {
    const method = await this.get(userId, id);
    if (changes.label !== undefined) method.label = changes.label;
    if (changes.cliCapable !== undefined) {
      if (method.kind !== 'webauthn')
        throw apiError(
          HttpStatus.BAD_REQUEST,
          'not_webauthn',
          'cli_capable applies to WebAuthn credentials only',
        );
      method.cliCapable = changes.cliCapable;
    }
    await this.methods.update(method.id, { label: method.label, cliCapable: method.cliCapable });
    return viewOf(method);
  }

  /** Makes one confirmed method of this user the preferred one; another user's id is a 404. */
  async setPreferred(userId: string, id: string): Promise<{ before?: string; after: MfaMethodView }> {
    return this.dataSource.transaction(async (manager) => {
      await lockPreference(manager, userId);
      const method = await manager.findOne(MfaMethodEntity, {
        where: { id, userId, confirmedAt: Not(IsNull()) },
      });
      if (!method) throw apiError(HttpStatus.NOT_FOUND, 'method_not_found', 'no such MFA method of yours');
      const before = await manager.findOne(MfaMethodEntity, { where: { userId, preferred: true } });
      if (before?.id !== id) {
        await manager.update(MfaMethodEntity, { userId, preferred: true }, { preferred: false });
        await manager.update(MfaMethodEntity, { id }, { preferred: true });
      }
      return { before: before?.id, after: viewOf({ ...method, preferred: true }) };
    });
  }

  /** After an enrolment: a user without a preferred method gets their oldest confirmed one. */
  async ensurePreferred(userId: string): Promise<void> {
    await this.dataSource.transaction((manager) => preferOldestIfNone(manager, userId));
  }

  /** Removes one factor; removing the last one also drops backup codes and trusted devices. */
  async remove(userId: string, id: string): Promise<{ remaining: number; preferredMethodId?: string }> {
    const method = await this.get(userId, id);
    const preferred = await this.dataSource.transaction(async (manager) => {
      await manager.delete(MfaMethodEntity, { id: method.id });
      return preferOldestIfNone(manager, userId);
    });
    const remaining = await this.methods.count({ where: { userId, confirmedAt: Not(IsNull()) } });
    if (remaining === 0) {
      await this.backupCodes.deleteAll(userId);
      await this.trustedDevices.revokeAll(userId, 'mfa_disabled');
    }
    return { remaining, preferredMethodId: preferred };
  }

  /** Admin reset: every factor, code and trusted device of the user goes; they enrol again. */
  async reset(userId: string): Promise<{ methods: number }> {
    const result = await this.methods.delete({ userId });
    await this.backupCodes.deleteAll(userId);
    await this.trustedDevices.revokeAll(userId, 'reset');
    return { methods: result.affected ?? 0 };
  }

  private async get(userId: string, id: string): Promise<MfaMethodEntity> {
    const method = await this.methods.findOne({ where: { id, userId, confirmedAt: Not(IsNull()) } });
    if (!method) throw apiError(HttpStatus.NOT_FOUND, 'method_not_found', 'no such MFA method of yours');
    return method;
  }
}

async function lockPreference(manager: EntityManager, userId: string): Promise<void> {
  await manager.query("SELECT pg_advisory_xact_lock(hashtext('mfa_preferred_method'), hashtext($1))", [
    userId,
  ]);
}

/** The preferred method after this change: the existing one, or the oldest confirmed when there is none. */
async function preferOldestIfNone(manager: EntityManager, userId: string): Promise<string | undefined> {
  await lockPreference(manager, userId);
  const current = await manager.findOne(MfaMethodEntity, { where: { userId, preferred: true } });
  if (current) return current.id;
  const oldest = await manager.findOne(MfaMethodEntity, {
    where: { userId, confirmedAt: Not(IsNull()) },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
  if (oldest) await manager.update(MfaMethodEntity, { id: oldest.id }, { preferred: true });
  return oldest?.id;
}

function viewOf(m: MfaMethodEntity): MfaMethodView {
  return {
    id: m.id,
    kind: m.kind,
    label: m.label,
    cliCapable: m.kind === 'totp' || m.cliCapable,
    preferred: m.preferred,
    createdAt: m.createdAt.toISOString(),
    lastUsedAt: m.lastUsedAt?.toISOString(),
  };
}
