import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { CliLoginService } from './cli/cli-login.service';
import { LoginStateEntity } from './google/login-state.entity';
import { PeriodicSweep } from '../database/periodic-sweep';
import { SessionsService } from '../sessions/sessions.service';

const SWEEP_INTERVAL_MS = 60_000;
// Ended sessions stay listed in the database for a while so admins can see recent revocations.
const ENDED_SESSION_RETENTION_MS = 30 * 86_400_000;

/** Deletes expired OAuth states and CLI logins every minute, and long-ended sessions. */
@Injectable()
export class LoginCleanupService extends PeriodicSweep {
  constructor(
    @InjectRepository(LoginStateEntity) private readonly states: Repository<LoginStateEntity>,
    private readonly cliLogins: CliLoginService,
    private readonly sessions: SessionsService,
  ) {
    super('LoginCleanup', SWEEP_INTERVAL_MS);
  }

  protected async sweepOnce(): Promise<void> {
    await this.states.delete({ expiresAt: LessThan(new Date()) });
    await this.cliLogins.deleteExpired();
    await this.sessions.deleteEndedBefore(new Date(Date.now() - ENDED_SESSION_RETENTION_MS));
  }
}
