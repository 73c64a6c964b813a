import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MfaSessionStateEntity } from './entities/mfa-session-state.entity';

/** Per-session MFA state: login challenge passed, last fresh verification (the step-up window). */
@Injectable()
export class MfaSessionsService {
  constructor(
    @InjectRepository(MfaSessionStateEntity) private readonly states: Repository<MfaSessionStateEntity>,
  ) {}

  find(sessionId: string): Promise<MfaSessionStateEntity | null> {
    return this.states.findOne({ where: { sessionId } });
  }

  /** A fresh verification: passes the login challenge and opens the step-up window. */
  async markVerified(sessionId: string, at = new Date()): Promise<void> {
    await this.states.upsert({ sessionId, verifiedAt: at, stepUpAt: at }, ['sessionId']);
  }

  /** A trusted device passes the login challenge only; the step-up window stays closed. */
  async markTrustedDeviceLogin(sessionId: string, trustedDeviceId: string): Promise<void> {
    await this.states.upsert({ sessionId, verifiedAt: new Date(), trustedDeviceId }, ['sessionId']);
  }

  /** When the step-up window of this state closes (undefined: it is not open). */
  stepUpExpiresAt(state: MfaSessionStateEntity | null, windowSeconds: number): Date | undefined {
    if (!state?.stepUpAt) return undefined;
    const end = new Date(state.stepUpAt.getTime() + windowSeconds * 1000);
    return end.getTime() > Date.now() ? end : undefined;
  }
}
