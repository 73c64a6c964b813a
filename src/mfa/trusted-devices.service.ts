import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { generateSecret, hashSecret } from '../access-control/credential-secret';
import { TrustedDeviceEntity } from './entities/trusted-device.entity';

export const TRUSTED_DEVICE_COOKIE = 'rgw_trusted_device';

/** Browsers a user chose to trust at verification; only their token's SHA-256 is stored. */
@Injectable()
export class TrustedDevicesService {
  constructor(
    @InjectRepository(TrustedDeviceEntity) private readonly devices: Repository<TrustedDeviceEntity>,
  ) {}

  async create(
    userId: string,
    label: string,
    ttlSeconds: number,
  ): Promise<{ token: string; device: TrustedDeviceEntity }> {
    const token = generateSecret();
    const device = this.devices.create({
      userId,
      tokenHash: hashSecret(token),
      label: label.slice(0, 200) || 'browser',
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      lastUsedAt: null,
      revokedAt: null,
      revokedReason: null,
    });
    await this.devices.insert(device);
    return { token, device };
  }

  /** The live device behind a cookie token, only if it belongs to `userId`. */
  async findLive(userId: string, token: string): Promise<TrustedDeviceEntity | null> {
    const device = await this.devices.findOne({
      where: { tokenHash: hashSecret(token), userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    if (device) await this.devices.update(device.id, { lastUsedAt: new Date() });
    return device;
  }

  listLive(userId: string): Promise<TrustedDeviceEntity[]> {
    return this.devices.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
  }

  async revoke(userId: string, id: string, reason: string): Promise<boolean> {
    const result = await this.devices.update(
      { id, userId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return (result.affected ?? 0) > 0;
  }

  async revokeAll(userId: string, reason: string): Promise<number> {
    const result = await this.devices.update(
      { userId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return result.affected ?? 0;
  }
}
