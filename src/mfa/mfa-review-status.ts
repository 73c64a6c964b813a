import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import { type MfaStatus, MfaStatusSource } from './mfa-status-source';
import { MfaMethodEntity } from './entities/mfa-method.entity';

/**
 * The access review's MFA column: a user with at least one confirmed factor is `enrolled`, anyone else
 * `not_enrolled` (an enrolment that was started but never confirmed protects nothing). One query for the
 * whole review, however many users it lists.
 */
@Injectable()
export class MfaReviewStatus extends MfaStatusSource {
  constructor(@InjectRepository(MfaMethodEntity) private readonly methods: Repository<MfaMethodEntity>) {
    super();
  }

  async statusOf(userIds: readonly string[]): Promise<Map<string, MfaStatus>> {
    const statuses = new Map<string, MfaStatus>(userIds.map((id) => [id, 'not_enrolled']));
    if (userIds.length === 0) return statuses;
    const rows = await this.methods.find({
      select: { userId: true },
      where: { userId: In([...userIds]), confirmedAt: Not(IsNull()) },
    });
    for (const row of rows) statuses.set(row.userId, 'enrolled');
    return statuses;
  }
}
