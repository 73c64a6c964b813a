import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { CliLoginService } from './cli/cli-login.service';
import { LoginStateEntity } from './google/login-state.entity';
import { SessionsService } from '../sessions/sessions.service';

const SWEEP_INTERVAL_MS = 60_000;
// Ended sessions stay listed in the database for a while so admins can see recent revocations.
const ENDED_SESSION_RETENTION_MS = 30 * 86_400_000;

/** Deletes expired OAuth states and CLI logins every minute, and long-ended sessions. */
@Injectable()
export class LoginCleanupService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LoginCleanup');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(LoginStateEntity) private readonly states: Repository<LoginStateEntity>,
    private readonly cliLogins: CliLoginService,
    private readonly sessions: SessionsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      await this.states.delete({ expiresAt: LessThan(new Date()) });
      await this.cliLogins.deleteExpired();
      await this.sessions.deleteEndedBefore(new Date(Date.now() - ENDED_SESSION_RETENTION_MS));
    } catch (error) {
      this.logger.warn(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
