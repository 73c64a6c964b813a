import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { RackAnswerMasker } from '../env/rack-answer-masker.service';
import { RELEASE_JSON_LIMIT } from '../env/rack-env-reader.service';
import { maskedAnswerOf, type MaskedAnswer } from '../env/release-env-routes';
import { rackPathFor } from '../rack/rack-endpoint';
import { rackFailure } from '../rack/rack-failure';
import { RackConnection } from '../rack/rack-connection.service';
import type { ProxiedRequest, RackAnswerCheck } from '../rack-proxy-request';
import { readBoundedBody } from './bounded-body';
import { relay } from './stream-relay';
import { downstreamResponseHeaders } from './downstream-response-headers';
import { proxyRequestId } from './proxy-request-id';
import { upstreamRequestHeaders } from './upstream-request-headers';

/** Answers a check reads whole (build, process, object and promote answers are small JSON objects). */
const CHECKED_ANSWER_LIMIT = 1024 * 1024;

// Release and resource JSON is parsed for masking, so it must arrive uncompressed.
const NO_ACCEPT_ENCODING: ReadonlySet<string> = new Set(['accept-encoding']);

/**
 * Forwards one authorized request to the rack and the answer back. Bodies are piped in both directions
 * (`stream.pipeline` up, `relay` down: backpressure, and an abort on either side tears down the other);
 * the only responses read whole are release and resource JSON, which are bounded and masked.
 */
@Injectable()
export class RackForwarder {
  constructor(
    private readonly rack: RackConnection,
    private readonly masker: RackAnswerMasker,
  ) {}

  async forward(req: ProxiedRequest, res: Response): Promise<void> {
    const authorized = req.convoxRoute;
    const principal = req.principal;
    if (!authorized || !principal)
      throw new HttpException({ error: 'authentication required' }, HttpStatus.UNAUTHORIZED);
    const endpoint = this.rack.requireEndpoint();
    const masks = maskedAnswerOf(authorized.route);

    const headers = upstreamRequestHeaders(
      req.headers,
      { authorization: endpoint.authorization, principal, clientIp: req.ip, requestId: proxyRequestId(req) },
      masks || req.rackAnswerCheck ? NO_ACCEPT_ENCODING : undefined,
    );
    if (req.rackBody) {
      delete headers['transfer-encoding'];
      headers['content-length'] = String(req.rackBody.length);
    }
    const { request, response } = this.rack.open({
      method: req.method,
      path: rackPathFor(endpoint, authorized.path, authorized.query),
      headers,
    });
    // The client hanging up (mid-upload, mid-download, or while we wait) aborts the rack request.
    const abortOnHangUp = () => {
      if (!res.writableFinished) request.destroy();
    };
    res.once('close', abortOnHangUp);
    if (req.rackBody) request.end(req.rackBody);
    else if (req.rackBodyTap) pipeline(req, req.rackBodyTap, request).catch(() => request.destroy());
    // Most calls (every GET) have no body: nothing to pipe, and a pipeline costs an abort signal per call.
    else if (hasNoBody(req)) request.end();
    else pipeline(req, request).catch(() => request.destroy());

    let upstream: IncomingMessage;
    try {
      upstream = await response;
    } catch (error) {
      await req.rackAnswerCheck?.abandon();
      if (res.destroyed) return;
      throw rackFailure(error);
    }
    // From here the response pipeline (or the masked read) ties the two sides together.
    res.off('close', abortOnHangUp);
    const status = upstream.statusCode ?? 502;
    if (req.rackAnswerCheck) {
      if (status >= 200 && status < 300) return this.sendChecked(req.rackAnswerCheck, res, upstream);
      await req.rackAnswerCheck.abandon();
    }
    if (masks && status >= 200 && status < 300) return this.sendMasked(masks, req, res, upstream);

    res.writeHead(status, downstreamResponseHeaders(upstream.headers));
    // A streamed answer (no length) shows its head at once. A sized one sends its head with the first body
    // chunk, in one write: on small answers the extra write of a flushed head was ~20 % of the CPU.
    if (upstream.headers['content-length'] === undefined) res.flushHeaders();
    try {
      await relay(upstream, res);
    } catch {
      // Headers are out: the only honest signal left for a broken stream is a cut connection.
      res.destroy();
    }
  }

  /**
   * A 2xx answer that a check must see first (a deploy step recording what it made): read whole (these
   * answers are small JSON objects), checked, then sent as it came. A failed check answers instead.
   */
  private async sendChecked(check: RackAnswerCheck, res: Response, upstream: IncomingMessage): Promise<void> {
    let raw: Buffer;
    try {
      if (upstream.headers['content-encoding'] && upstream.headers['content-encoding'] !== 'identity')
        throw new Error('encoded answer');
      raw = await readBoundedBody(upstream, CHECKED_ANSWER_LIMIT);
    } catch {
      upstream.destroy();
      await check.abandon();
      throw new HttpException({ error: 'rack returned an unreadable answer' }, HttpStatus.BAD_GATEWAY);
    }
    // Not every answer is JSON (a promote may answer plain text); the check says what it needs from it.
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    await check.settle(upstream.statusCode ?? 200, parsed);
    const headers = downstreamResponseHeaders(upstream.headers, { dropContentLength: true });
    res.writeHead(upstream.statusCode ?? 200, { ...headers, 'content-length': String(raw.length) });
    res.end(raw);
  }

  private async sendMasked(
    kind: MaskedAnswer,
    req: ProxiedRequest,
    res: Response,
    upstream: IncomingMessage,
  ): Promise<void> {
    if (upstream.headers['content-encoding'] && upstream.headers['content-encoding'] !== 'identity') {
      upstream.destroy();
      throw new HttpException({ error: `rack returned an encoded ${kind} response` }, HttpStatus.BAD_GATEWAY);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readBoundedBody(upstream, RELEASE_JSON_LIMIT)).toString('utf8'));
    } catch {
      // Fail closed: an answer we cannot read might carry values we cannot mask.
      throw new HttpException(
        { error: `rack returned an unreadable ${kind} response` },
        HttpStatus.BAD_GATEWAY,
      );
    }
    const masked = await this.masker.mask(kind, parsed, req.principal!, req.convoxRoute!);
    const body = Buffer.from(`${JSON.stringify(masked, null, 2)}\n`, 'utf8');
    const headers = downstreamResponseHeaders(upstream.headers, { dropContentLength: true });
    res.writeHead(upstream.statusCode ?? 200, {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(body.length),
    });
    res.end(body);
  }
}

/** HTTP/1.1: a request has a body only if it declares one (Transfer-Encoding, or a non-zero Content-Length). */
function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}
