import { createHash } from 'node:crypto';
import type { HttpRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';
import { randomHex } from '../state/convox-ids';
import { rfc3339 } from '../state/rack-time';
import type { Certificate } from '../state/rack-types';

function certificate(domains: string[], days: number): Certificate {
  return {
    id: `cert-${randomHex(4)}`,
    domain: domains[0],
    domains,
    expiration: rfc3339(new Date(Date.now() + days * 86_400_000)),
    status: '',
  };
}

/** The mock does not parse certificates; it only checks the PEM armour so junk gets a clear 400. */
function requirePem(text: string | undefined, armour: RegExp, what: string): string {
  if (!text || !armour.test(text)) throw RackError.badRequest(`invalid ${what}`);
  return text;
}

export const certificateRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/certificates',
    handle: (ex) => ex.json([...ex.rack.state.certificates].sort((a, b) => a.id.localeCompare(b.id))),
  },
  {
    method: 'POST',
    pattern: '/certificates',
    handle: (ex) => {
      const pub = requirePem(ex.value('pub'), /-----BEGIN CERTIFICATE-----/, 'certificate');
      requirePem(ex.value('key'), /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key');
      const fingerprint = createHash('sha256').update(pub).digest('hex').slice(0, 8);
      const cert = certificate([`imported-${fingerprint}.example.com`], 365);
      ex.rack.state.certificates.push(cert);
      ex.json(cert);
    },
  },
  {
    method: 'POST',
    pattern: '/certificates/generate',
    handle: (ex) => {
      const domains = (ex.value('domains') ?? '')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean);
      if (domains.length === 0) throw RackError.badRequest('domains are required');
      const cert = certificate(domains, 90);
      ex.rack.state.certificates.push(cert);
      ex.json(cert);
    },
  },
  {
    method: 'DELETE',
    pattern: '/certificates/{id}',
    handle: (ex) => {
      const { state } = ex.rack;
      if (!state.certificates.some((c) => c.id === ex.param('id'))) {
        throw RackError.notFound(`certificate not found: ${ex.param('id')}`);
      }
      state.certificates = state.certificates.filter((c) => c.id !== ex.param('id'));
      ex.ok();
    },
  },
  {
    // The CLI passes the app name as the id here.
    method: 'POST',
    pattern: '/certificates/{id}/renew',
    handle: (ex) => {
      ex.rack.state.requireApp(ex.param('id'));
      ex.ok();
    },
  },
  {
    method: 'PUT',
    pattern: '/apps/{app}/ssl/{service}/{port}',
    handle: (ex) => {
      const { state } = ex.rack;
      const record = state.requireApp(ex.param('app'));
      const service = state.requireService(record, ex.param('service'));
      const id = ex.value('id') ?? '';
      if (!state.certificates.some((c) => c.id === id))
        throw RackError.notFound(`certificate not found: ${id}`);
      const port = service.ports.find((p) => String(p.balancer) === ex.param('port'));
      if (!port) throw RackError.notFound(`port not found: ${ex.param('port')}`);
      port.certificate = id;
      ex.ok();
    },
  },
  { method: 'GET', pattern: '/letsencrypt/config', handle: (ex) => ex.json(ex.rack.state.letsEncryptConfig) },
  {
    // The one endpoint that takes a raw JSON body (with Content-Type octet-stream).
    method: 'PUT',
    pattern: '/letsencrypt/config',
    handle: (ex) => {
      try {
        ex.rack.state.letsEncryptConfig = JSON.parse(ex.rawBody.toString('utf8'));
      } catch {
        throw RackError.badRequest('invalid letsencrypt config: body must be JSON');
      }
      ex.ok();
    },
  },
];
