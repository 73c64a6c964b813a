import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { newBackupCodes, normalizeBackupCode } from './factors/backup-codes';
import { MfaBackupCodeEntity } from './entities/mfa-backup-code.entity';
import { MfaSecrets } from './mfa-secrets';
import { returningRows } from './returning-rows';

const PURPOSE = 'backup-code';

/** Ten single-use recovery codes per user, stored as keyed hashes; regenerating replaces the whole set. */
@Injectable()
export class BackupCodesService {
  constructor(
    @InjectRepository(MfaBackupCodeEntity) private readonly codes: Repository<MfaBackupCodeEntity>,
    private readonly secrets: MfaSecrets,
    private readonly dataSource: DataSource,
  ) {}

  /** Replaces every code of the user; the plain codes are returned once and never stored. */
  async regenerate(userId: string): Promise<string[]> {
    const plain = newBackupCodes();
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(MfaBackupCodeEntity, { userId });
      await manager.insert(
        MfaBackupCodeEntity,
        plain.map((code) => ({
          userId,
          codeHash: this.secrets.box.keyedHashes(normalizeBackupCode(code)!, PURPOSE)[0],
        })),
      );
    });
    return plain;
  }

  /** Uses a code up if it is one of the user's unused codes (atomically: a code works exactly once). */
  async consume(userId: string, input: string): Promise<boolean> {
    const normalized = normalizeBackupCode(input);
    if (!normalized) return false;
    const hashes = this.secrets.box.keyedHashes(normalized, PURPOSE);
    const result: unknown = await this.dataSource.query(
      `UPDATE mfa_backup_codes SET used_at = now()
        WHERE id = (SELECT id FROM mfa_backup_codes
                     WHERE user_id = $1 AND code_hash = ANY($2) AND used_at IS NULL LIMIT 1 FOR UPDATE)
        RETURNING id`,
      [userId, hashes],
    );
    return returningRows(result).length > 0;
  }

  async summary(userId: string): Promise<{ total: number; unused: number }> {
    const all = await this.codes.find({ where: { userId } });
    return { total: all.length, unused: all.filter((c) => c.usedAt === null).length };
  }

  async deleteAll(userId: string): Promise<void> {
    await this.codes.delete({ userId });
  }
}
