import type { Principal } from '../../access-control/principal';
import { downstreamResponseHeaders } from './downstream-response-headers';
import { upstreamRequestHeaders } from './upstream-request-headers';

const user: Principal = {
  kind: 'user',
  userId: 'u1',
  email: 'dev@example.com',
  name: 'Dev',
  roles: ['ops'],
  permissions: [],
  channel: 'cli',
};

describe('upstream and downstream headers', () => {
  const identity = {
    authorization: 'Basic cmFjaw==',
    principal: user,
    clientIp: '10.0.0.7',
    requestId: 'req-1',
  };

  it('replaces identity, drops hop-by-hop and listed headers, keeps convox options', () => {
    const headers = upstreamRequestHeaders(
      {
        authorization: 'Bearer rgw_x',
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': '1',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'proxy-foo': 'bar',
        'x-forwarded-for': '1.2.3.4',
        'x-user-email': 'ceo@example.com',
        cookie: 'a=b',
        'x-mfa-code': '123456',
        'x-mfa-proof': 'proof-secret',
        'x-csrf-token': 'csrf-secret',
        command: 'sleep 3600',
        'private-key': 'LS0t',
        'content-length': '12',
      },
      identity,
    );
    expect(headers).toEqual({
      authorization: 'Basic cmFjaw==',
      'convox-actor': 'dev@example.com',
      'x-forwarded-for': '10.0.0.7',
      'x-request-id': 'req-1',
      command: 'sleep 3600',
      'private-key': 'LS0t',
      'content-length': '12',
    });
  });

  it('names token callers token:<name>', () => {
    const token: Principal = { ...user, kind: 'token', channel: 'api-token', tokenName: 'ci deploy' };
    expect(upstreamRequestHeaders({}, { ...identity, principal: token })['convox-actor']).toBe(
      'token:ci deploy',
    );
  });

  it('strips hop-by-hop and cookies from rack responses but keeps Content-Length', () => {
    expect(
      downstreamResponseHeaders({
        connection: 'close',
        'keep-alive': 'timeout=5',
        'set-cookie': ['x=y'],
        'content-length': '10',
        'request-id': 'abc',
      }),
    ).toEqual({ 'content-length': '10', 'request-id': 'abc' });
  });
});
