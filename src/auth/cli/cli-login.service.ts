import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UserEntity } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { apiError } from '../../access-control/api-error';
import { verifierMatchesChallenge } from '../../access-control/pkce';
import { NewSession, SessionsService } from '../../sessions/sessions.service';
import { CliLoginEntity, type CliLoginStatus } from './cli-login.entity';

export const CLI_LOGIN_TTL_MS = 10 * 60 * 1000;
export const CLI_POLL_INTERVAL_SECONDS = 2;
export const CLI_AUTHORIZE_PATH = '/api/v1/auth/cli/authorize';
/** The console's approval page, where the authorize link sends the browser. */
export const CLI_CONSOLE_PATH = '/app/cli-login';
// A wrong verifier means someone other than the CLI is polling; a few tries end the login for good.
export const MAX_VERIFIER_FAILURES = 5;
// No 0/O/1/I: the code is read off one screen and compared with another.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface StartedCliLogin {
  loginId: string;
  browserUrl: string;
  userCode: string;
  expiresAt: Date;
  pollIntervalSeconds: number;
}

export type CliCompletion =
  { status: 'pending' } | { status: 'completed'; user: UserEntity; session: NewSession; expiresAt: Date };

/**
 * The CLI login: the CLI starts with the S256 challenge of a verifier only it holds; the person signs in in
 * the browser and approves on the console's page that names the device, IP and code; the CLI then proves it holds the
 * verifier and receives a CLI session exactly once.
 */
@Injectable()
export class CliLoginService {
  constructor(
    @InjectRepository(CliLoginEntity) private readonly logins: Repository<CliLoginEntity>,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(
    codeChallenge: string,
    deviceName: string | undefined,
    ip: string | undefined,
  ): Promise<StartedCliLogin> {
    const now = Date.now();
    const login = this.logins.create({
      codeChallenge,
      userCode: userCode(),
      deviceName: deviceName?.trim() || null,
      requesterIp: ip ?? null,
      status: 'pending',
      userId: null,
      failedAttempts: 0,
      createdAt: new Date(now),
      expiresAt: new Date(now + CLI_LOGIN_TTL_MS),
    });
    await this.logins.insert(login);
    return {
      loginId: login.id,
      browserUrl: `${this.config.http.publicUrl}${CLI_AUTHORIZE_PATH}?loginId=${encodeURIComponent(login.id)}`,
      userCode: login.userCode,
      expiresAt: login.expiresAt,
      pollIntervalSeconds: CLI_POLL_INTERVAL_SECONDS,
    };
  }

  /**
   * The login the console's approval page shows and decides, or why it cannot be: 404 when no login has
   * this id (never started, or expired and swept), 410 when it was closed by wrong verifiers (saying so, so
   * the person knows another program tried to finish their login), already decided, or expired.
   */
  async pendingForBrowser(loginId: string): Promise<CliLoginEntity> {
    const login = isUuid(loginId) ? await this.logins.findOne({ where: { id: loginId } }) : null;
    if (!login) {
      throw apiError(
        HttpStatus.NOT_FOUND,
        'cli_login_not_found',
        'no CLI login has this id (it never started, or expired and was removed); run the login in your terminal again',
      );
    }
    if (login.failedAttempts >= MAX_VERIFIER_FAILURES) throw closedLogin(HttpStatus.GONE);
    if (login.status !== 'pending') throw decidedLogin(login.status);
    if (login.expiresAt.getTime() <= Date.now()) {
      throw apiError(
        HttpStatus.GONE,
        'cli_login_expired',
        `this CLI login link expired (a login waits ${CLI_LOGIN_TTL_MS / 60_000} minutes for the browser); run the login in your terminal again`,
      );
    }
    return login;
  }

  /** Records the signed-in person's decision. Only a pending, unexpired login can be decided. */
  async decide(loginId: string, user: UserEntity, approve: boolean): Promise<CliLoginEntity> {
    const login = await this.pendingForBrowser(loginId);
    const status = approve ? 'approved' : 'denied';
    const result = await this.logins.update({ id: login.id, status: 'pending' }, { status, userId: user.id });
    if ((result.affected ?? 0) === 0) {
      // Decided or closed between the read and the update: the second read names what happened.
      await this.pendingForBrowser(loginId);
      throw decidedLogin('approved');
    }
    return { ...login, status, userId: user.id };
  }

  /** The CLI's poll. The verifier is checked before anything about the login's state is revealed. */
  async complete(
    loginId: string,
    codeVerifier: string,
    client: { ip?: string; userAgent?: string },
  ): Promise<CliCompletion> {
    const login = isUuid(loginId) ? await this.logins.findOne({ where: { id: loginId } }) : null;
    if (!login || login.status === 'completed' || login.expiresAt.getTime() <= Date.now())
      throw expiredLogin();
    if (!verifierMatchesChallenge(codeVerifier, login.codeChallenge)) {
      await this.logins.increment({ id: login.id }, 'failedAttempts', 1);
      if (login.failedAttempts + 1 >= MAX_VERIFIER_FAILURES) {
        await this.logins.update({ id: login.id }, { status: 'denied' });
      }
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'invalid_verifier',
        'the code verifier does not match this login; only the CLI that started it can finish it',
      );
    }
    // Closed by wrong verifiers (stored as denied, whatever the browser decided): say so, not "denied".
    if (login.failedAttempts >= MAX_VERIFIER_FAILURES) throw closedLogin();
    if (login.status === 'denied') {
      throw apiError(HttpStatus.FORBIDDEN, 'login_denied', 'the login was denied in the browser');
    }
    if (login.status === 'pending') return { status: 'pending' };
    // Claim the approved login in one statement, so two concurrent polls cannot both get a session.
    const claimed = await this.logins.update({ id: login.id, status: 'approved' }, { status: 'completed' });
    if ((claimed.affected ?? 0) === 0 || !login.userId) throw expiredLogin();
    const user = await this.users.findById(login.userId);
    if (!user) throw expiredLogin();
    if (user.lockedAt) throw apiError(HttpStatus.FORBIDDEN, 'user_locked', 'this account is locked');
    const session = await this.sessions.create(user.id, 'cli', {
      ip: client.ip,
      userAgent: client.userAgent,
      deviceName: login.deviceName,
    });
    return { status: 'completed', user, session, expiresAt: await this.sessions.expiresAt(session.session) };
  }

  /** Drops logins past their expiry (and finished ones with them). */
  async deleteExpired(): Promise<number> {
    const result = await this.logins.createQueryBuilder().delete().where('expires_at < now()').execute();
    return result.affected ?? 0;
  }
}

function userCode(): string {
  const pick = () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${Array.from({ length: 4 }, pick).join('')}-${Array.from({ length: 4 }, pick).join('')}`;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function closedLogin(status: HttpStatus.FORBIDDEN | HttpStatus.GONE = HttpStatus.FORBIDDEN) {
  return apiError(
    status,
    'login_closed',
    `this CLI login was closed after ${MAX_VERIFIER_FAILURES} wrong code verifiers (another program tried to finish it); run the login again`,
  );
}

function decidedLogin(status: CliLoginStatus) {
  return apiError(
    HttpStatus.GONE,
    'cli_login_decided',
    `this CLI login was already ${status === 'denied' ? 'denied' : 'approved'} in a browser; run the login in your terminal again if you still need one`,
  );
}

function expiredLogin() {
  return apiError(
    HttpStatus.BAD_REQUEST,
    'invalid_login',
    'this CLI login is unknown, expired or already used; run the login again',
  );
}
