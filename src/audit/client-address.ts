import type { IncomingMessage } from 'node:http';

/**
 * The client's address with Express's `trust proxy = <hops>` semantics, for requests Express never saw
 * (websocket upgrades) as well as ordinary ones: walk X-Forwarded-For from the right, trusting only as
 * many entries as there are configured proxy hops. With 0 hops the header is ignored entirely, so a
 * client cannot choose the address that is audited.
 */
export function clientAddressOf(req: IncomingMessage, trustProxyHops: number): string {
  const socketAddress = normalise(req.socket?.remoteAddress ?? '');
  if (trustProxyHops <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .reverse();
  const chain = [socketAddress, ...forwarded];
  return normalise(chain[Math.min(trustProxyHops, chain.length - 1)]);
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) is audited as `10.0.0.1`. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
