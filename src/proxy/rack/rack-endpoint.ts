import { readFileSync } from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { AppConfig } from '../../config/app-config';

/** TLS settings for every connection to the rack (HTTP pool and websocket dials alike). */
export interface RackTlsOptions {
  ca?: Buffer;
  rejectUnauthorized: true;
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
}

/**
 * Where the rack lives and how to present ourselves to it. Built once from AppConfig.rack; the rack
 * password is only ever put into `authorization` here and never leaves the gateway towards clients.
 */
export interface RackEndpoint {
  /** `http:` or `https:`. */
  protocol: string;
  hostname: string;
  port: number;
  /** A path prefix of RACK_URL (kept, as the convox SDK keeps it), '' when none. */
  basePath: string;
  /** `scheme://host[:port]`, what the rack's websocket origin check expects. */
  origin: string;
  /** `Basic base64(<RACK_USERNAME>:<RACK_TOKEN>)`. */
  authorization: string;
  tls?: RackTlsOptions;
  timeoutMs: number;
}

export class RackNotConfiguredError extends Error {
  constructor() {
    super('no rack configured: set RACK_URL and RACK_TOKEN');
  }
}

export function rackEndpointFrom(rack: AppConfig['rack']): RackEndpoint | null {
  if (!rack.url) return null;
  const url = new URL(rack.url);
  const https = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : https ? 443 : 80;
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    port,
    basePath: url.pathname.replace(/\/+$/, ''),
    origin: url.origin,
    authorization: `Basic ${Buffer.from(`${rack.username}:${rack.token ?? ''}`).toString('base64')}`,
    tls: https ? tlsOptions(rack) : undefined,
    timeoutMs: rack.timeoutMs,
  };
}

/** The path (and raw query, untouched) on the rack for a matched proxy path. */
export function rackPathFor(endpoint: RackEndpoint, path: string, query: string): string {
  return `${endpoint.basePath}${path}${query ? `?${query}` : ''}`;
}

function tlsOptions(rack: AppConfig['rack']): RackTlsOptions {
  const options: RackTlsOptions = { rejectUnauthorized: true };
  if (rack.caFile) options.ca = readFileSync(rack.caFile);
  if (rack.pinSha256) options.checkServerIdentity = pinnedIdentityCheck(rack.pinSha256);
  return options;
}

/**
 * Pinning: the leaf certificate's DER SHA-256 must equal the configured pin. Node calls this only after the
 * chain verified (against RACK_CA_FILE or the system roots), so a self-signed certificate must also be
 * listed in RACK_CA_FILE. The pin replaces the host name check: it names the exact certificate.
 */
export function pinnedIdentityCheck(
  pinHex: string,
): (host: string, cert: PeerCertificate) => Error | undefined {
  const expected = Buffer.from(pinHex.replace(/:/g, '').toLowerCase(), 'hex');
  return (_host, cert) => {
    const actual = createHash('sha256').update(cert.raw).digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return undefined;
    return new RackCertificateMismatchError(actual.toString('hex'));
  };
}

export class RackCertificateMismatchError extends Error {
  readonly code = 'RACK_CERT_PIN_MISMATCH';
  constructor(readonly actualSha256: string) {
    super('rack certificate verification failed: fingerprint does not match RACK_TLS_PIN_SHA256');
  }
}
