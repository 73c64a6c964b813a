import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { toDataURL } from 'qrcode';
import { DataSource, type FindOptionsWhere, IsNull, Not, Repository } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MfaMethodEntity } from './entities/mfa-method.entity';
import { matchTotpStep, newTotpSecret, totpUri } from './factors/totp';
import { MfaSecrets } from './mfa-secrets';
import { returningRows } from './returning-rows';

export interface TotpEnrolment {
  methodId: string;
  /** The base32 secret, for typing into an app by hand. Shown once. */
  secret: string;
  uri: string;
  /** PNG data URL of the URI as a QR code. */
  qrCode: string;
}

/** TOTP methods: enrolment, and checking a code against a user's confirmed apps with replay refusal. */
@Injectable()
export class TotpService {
  constructor(
    @InjectRepository(MfaMethodEntity) private readonly methods: Repository<MfaMethodEntity>,
    private readonly secrets: MfaSecrets,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts an enrolment (replacing an unfinished one); the method works only once confirmed with a code. */
  async start(userId: string, email: string, label: string): Promise<TotpEnrolment> {
    const secret = newTotpSecret();
    await this.methods.delete({ userId, kind: 'totp', confirmedAt: IsNull() });
    const method = this.methods.create({
      userId,
      kind: 'totp',
      label,
      secretSealed: this.secrets.box.seal(secret, userId),
      confirmedAt: null,
    });
    await this.methods.insert(method);
    const uri = totpUri(secret, `Rack Gateway (${this.config.rack.name})`, email);
    return { methodId: method.id, secret, uri, qrCode: await toDataURL(uri) };
  }

  /** Confirms an enrolment with a code from the app; the code's step counts as used. */
  async confirm(userId: string, methodId: string, code: string): Promise<MfaMethodEntity | undefined> {
    const method = await this.withSecret({ id: methodId, userId, kind: 'totp', confirmedAt: IsNull() });
    if (!method)
      throw apiError(
        HttpStatus.NOT_FOUND,
        'enrolment_not_found',
        'no TOTP enrolment in progress with this id',
      );
    if (!(await this.acceptStep(method, code))) return undefined;
    await this.methods.update(method.id, { confirmedAt: new Date(), lastUsedAt: new Date() });
    return method;
  }

  /** The confirmed method that accepts `code` now (each step once per method), or undefined. */
  async verify(userId: string, code: string): Promise<MfaMethodEntity | undefined> {
    const candidates = await this.findWithSecrets({ userId, kind: 'totp', confirmedAt: Not(IsNull()) });
    for (const method of candidates) {
      if (await this.acceptStep(method, code)) {
        await this.methods.update(method.id, { lastUsedAt: new Date() });
        return method;
      }
    }
    return undefined;
  }

  /** Re-seals every TOTP secret with the current key; returns how many were re-sealed. */
  async resealAll(): Promise<number> {
    const all = await this.findWithSecrets({ kind: 'totp' });
    let count = 0;
    for (const method of all) {
      const { plaintext, stale } = this.secrets.box.open(method.secretSealed!, method.userId);
      if (!stale) continue;
      await this.methods.update(method.id, { secretSealed: this.secrets.box.seal(plaintext, method.userId) });
      count += 1;
    }
    return count;
  }

  /** The plain secret of a user's TOTP method (dev-only `manage totp-code`). */
  async secretOf(userId: string): Promise<string | undefined> {
    const [method] = await this.findWithSecrets({ userId, kind: 'totp' });
    return method ? this.secrets.box.open(method.secretSealed!, userId).plaintext : undefined;
  }

  /**
   * A code matches a step newer than the last one used, and that step is claimed in one conditional UPDATE,
   * so two requests racing with the same code cannot both win. A secret sealed with the previous key is
   * re-sealed with the current one on the way.
   */
  private async acceptStep(method: MfaMethodEntity, code: string): Promise<boolean> {
    const { plaintext, stale } = this.secrets.box.open(method.secretSealed!, method.userId);
    if (stale)
      await this.methods.update(method.id, { secretSealed: this.secrets.box.seal(plaintext, method.userId) });
    const step = matchTotpStep(plaintext, code.trim());
    if (step === undefined) return false;
    const claimed: unknown = await this.dataSource.query(
      `UPDATE mfa_methods SET last_used_step = $2
        WHERE id = $1 AND (last_used_step IS NULL OR last_used_step < $2) RETURNING id`,
      [method.id, step],
    );
    return returningRows(claimed).length > 0;
  }

  private async withSecret(where: FindOptionsWhere<MfaMethodEntity>): Promise<MfaMethodEntity | undefined> {
    return (await this.findWithSecrets(where))[0];
  }

  private findWithSecrets(where: FindOptionsWhere<MfaMethodEntity>): Promise<MfaMethodEntity[]> {
    return this.methods.find({ where, order: { createdAt: 'ASC' } });
  }
}
