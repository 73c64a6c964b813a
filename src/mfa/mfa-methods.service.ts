import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { BackupCodesService } from './backup-codes.service';
import { MfaMethodEntity } from './entities/mfa-method.entity';
import { TrustedDevicesService } from './trusted-devices.service';

export interface MfaMethodView {
  id: string;
  kind: string;
  label: string;
  cliCapable: boolean;
  createdAt: string;
  lastUsedAt?: string;
}

/** Listing, relabelling and removing a user's confirmed factors; an admin reset removes everything. */
@Injectable()
export class MfaMethodsService {
  constructor(
    @InjectRepository(MfaMethodEntity) private readonly methods: Repository<MfaMethodEntity>,
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

  /** Removes one factor; removing the last one also drops backup codes and trusted devices. */
  async remove(userId: string, id: string): Promise<{ remaining: number }> {
    const method = await this.get(userId, id);
    await this.methods.delete(method.id);
    const remaining = await this.methods.count({ where: { userId, confirmedAt: Not(IsNull()) } });
    if (remaining === 0) {
      await this.backupCodes.deleteAll(userId);
      await this.trustedDevices.revokeAll(userId, 'mfa_disabled');
    }
    return { remaining };
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

function viewOf(m: MfaMethodEntity): MfaMethodView {
  return {
    id: m.id,
    kind: m.kind,
    label: m.label,
    cliCapable: m.kind === 'totp' || m.cliCapable,
    createdAt: m.createdAt.toISOString(),
    lastUsedAt: m.lastUsedAt?.toISOString(),
  };
}
