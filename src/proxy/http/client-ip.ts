import type { IncomingMessage } from 'node:http';

/**
 * The client address, trusting `X-Forwarded-For` only as far as TRUST_PROXY_HOPS reverse proxies we run
 * ourselves, the way Express's numeric `trust proxy` does (used where Express is not involved: upgrades).
 */
export function trustedClientIp(req: IncomingMessage, trustedHops: number): string | undefined {
  const socketAddress = req.socket.remoteAddress;
  if (trustedHops <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Nearest first: the socket peer, then each proxy's view from right to left.
  const chain = [socketAddress, ...forwarded.reverse()].filter((address): address is string => !!address);
  return chain[Math.min(trustedHops, chain.length - 1)];
}
