import type { IncomingMessage } from 'node:http';
import { clientAddressOf } from './client-address';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddressOf', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddressOf(request('203.0.113.9', '1.2.3.4'), 0)).toBe('203.0.113.9');
  });

  it('takes the entry the trusted proxy appended, not what the client sent first', () => {
    // client forged "1.2.3.4", the one trusted load balancer appended the real client 198.51.100.7.
    expect(clientAddressOf(request('10.0.0.2', '1.2.3.4, 198.51.100.7'), 1)).toBe('198.51.100.7');
  });

  it('walks two hops when two proxies are trusted', () => {
    expect(clientAddressOf(request('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.9'), 2)).toBe('198.51.100.7');
  });

  it('falls back to the leftmost entry when the chain is shorter than the hops', () => {
    expect(clientAddressOf(request('10.0.0.2', '198.51.100.7'), 5)).toBe('198.51.100.7');
    expect(clientAddressOf(request('10.0.0.2'), 1)).toBe('10.0.0.2');
  });

  it('unwraps IPv4-mapped IPv6 socket addresses', () => {
    expect(clientAddressOf(request('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
  });
});
