import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export type CheckResult = 'ok' | string;

/** Answers /readyz: can we reach our database and the rack right now? */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<{ ready: boolean; checks: Record<'database' | 'rack', CheckResult> }> {
    const [database, rack] = await Promise.all([this.checkDatabase(), this.checkRack()]);
    return { ready: database === 'ok' && rack === 'ok', checks: { database, rack } };
  }

  private async checkDatabase(): Promise<CheckResult> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'ok';
    } catch (error) {
      return `unreachable: ${(error as Error).message}`;
    }
  }

  // The rack's unauthenticated `/check` answers `ok`; anything else means the proxy would fail too.
  private checkRack(): Promise<CheckResult> {
    const base = this.config.rack.url;
    if (!base) return Promise.resolve('not configured: RACK_URL is unset');
    const url = new URL(`${base}/check`);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = send(url, { method: 'GET', timeout: 2000, rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200 ? 'ok' : `unhealthy: /check answered ${res.statusCode}`);
      });
      req.on('timeout', () => req.destroy(new Error('timed out after 2000 ms')));
      req.on('error', (error) => resolve(`unreachable: ${error.message}`));
      req.end();
    });
  }
}
