import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '../../access-control/principal';
import { readBoundedBody } from '../http/bounded-body';
import { convoxActor } from '../http/upstream-request-headers';
import { rackPathFor } from '../rack/rack-endpoint';
import { rackFailure } from '../rack/rack-failure';
import { RackConnection } from '../rack/rack-connection.service';
import { parseEnvText } from './env-text';

/** Release JSON is small; anything bigger than this is not a release. */
export const RELEASE_JSON_LIMIT = 10 * 1024 * 1024;

/**
 * Reads an app's current env from the rack the way `convox env` does: the newest release
 * (`GET /apps/:app/releases?limit=1`) or the given parent release, then its detail. The gateway asks
 * with its own credentials, so the result is never masked.
 */
@Injectable()
export class RackEnvReader {
  constructor(private readonly rack: RackConnection) {}

  async currentEnv(app: string, parentRelease: string | undefined, principal: Principal, requestId: string) {
    let releaseId = parentRelease;
    if (!releaseId) {
      const latest = await this.getJson(`/apps/${app}/releases`, 'limit=1', principal, requestId);
      const first = Array.isArray(latest) ? (latest[0] as { id?: unknown } | undefined) : undefined;
      if (!first) return new Map<string, string>();
      if (typeof first.id !== 'string') throw unreadable();
      releaseId = first.id;
    }
    const release = (await this.getJson(`/apps/${app}/releases/${releaseId}`, '', principal, requestId)) as {
      env?: unknown;
    } | null;
    if (!release || typeof release !== 'object') throw unreadable();
    return parseEnvText(typeof release.env === 'string' ? release.env : '');
  }

  private async getJson(
    path: string,
    query: string,
    principal: Principal,
    requestId: string,
  ): Promise<unknown> {
    const endpoint = this.rack.requireEndpoint();
    const { request, response } = this.rack.open({
      method: 'GET',
      path: rackPathFor(endpoint, path, query),
      headers: {
        authorization: endpoint.authorization,
        accept: 'application/json',
        'convox-actor': convoxActor(principal),
        'x-request-id': requestId,
      },
    });
    request.end();
    let body: Buffer;
    let status: number;
    try {
      const res = await response;
      status = res.statusCode ?? 502;
      body = await readBoundedBody(res, RELEASE_JSON_LIMIT);
    } catch (error) {
      throw rackFailure(error);
    }
    if (status >= 400) {
      // The rack's own words (e.g. `app not found: x`) are what the CLI should print.
      const text = rackErrorText(body) ?? `response status ${status}`;
      throw new HttpException({ error: text }, status >= 500 ? HttpStatus.BAD_GATEWAY : status);
    }
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw unreadable();
    }
  }
}

function unreadable(): HttpException {
  return new HttpException(
    { error: 'failed to fetch current env: unreadable release from rack' },
    HttpStatus.BAD_GATEWAY,
  );
}

function rackErrorText(body: Buffer): string | undefined {
  const text = body.toString('utf8').trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Plain text, as the rack answers the CLI's `Accept: */*`.
  }
  return text || undefined;
}
