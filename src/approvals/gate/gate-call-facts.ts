import { HttpException, HttpStatus } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { BodyTooLargeError, readBoundedBody } from '../../proxy/http/bounded-body';
import type { GateCallFacts } from './deploy-gate-decision';
import type { DeployStep } from './deploy-steps';

/** A build form is a few hundred bytes; this bounds what the gate holds in memory for one. */
export const BUILD_FORM_LIMIT = 64 * 1024;

/** Build form fields the gate decides on; the rack also reads form fields from the query string. */
const BUILD_FIELDS = ['git-sha', 'url', 'manifest'] as const;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(' ') : value;
};

/** What the call says about itself from its headers (process start and exec). */
export function headerFacts(step: DeployStep, headers: IncomingHttpHeaders): GateCallFacts {
  if (step.kind === 'process-start')
    return { command: header(headers, 'command'), release: header(headers, 'release') };
  if (step.kind === 'process-exec') return { command: header(headers, 'command') };
  return {};
}

/**
 * The build form of `POST /apps/:app/builds`, read whole (it is small) so the gate can see `git-sha`,
 * `url` and `manifest`; the caller forwards the returned bytes in place of the consumed stream.
 */
export async function readBuildForm(
  body: Readable,
  headers: IncomingHttpHeaders,
  query: string,
): Promise<{ facts: GateCallFacts; raw: Buffer }> {
  const inQuery = new URLSearchParams(query);
  if (BUILD_FIELDS.some((field) => inQuery.has(field)))
    throw new HttpException(
      {
        error:
          'invalid request: a build under a deploy approval sends git-sha, url and manifest in the form body',
      },
      HttpStatus.BAD_REQUEST,
    );
  let raw: Buffer;
  try {
    raw = await readBoundedBody(body, BUILD_FORM_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new HttpException(
        { error: `build form larger than ${BUILD_FORM_LIMIT} bytes` },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    throw error;
  }
  const type = (header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return { facts: {}, raw };
  const form = new URLSearchParams(raw.toString('utf8'));
  return {
    facts: {
      gitSha: form.get('git-sha') ?? undefined,
      buildUrl: form.get('url') ?? undefined,
      manifest: form.get('manifest') ?? undefined,
    },
    raw,
  };
}
