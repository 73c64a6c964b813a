import { randomBytes } from 'node:crypto';
import { startMockRack } from './index';
import { errorMessage } from '../../errors/error-message';

/**
 * Standalone mock rack for development: `node dist/src/dev/mock-rack/main.js`.
 * MOCK_RACK_PORT (default 5443), RACK_TOKEN (the password; a random one is printed when unset).
 */
async function main(): Promise<void> {
  const port = Number(process.env.MOCK_RACK_PORT ?? 5443);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`MOCK_RACK_PORT is not a port: ${port}`);
  const given = process.env.RACK_TOKEN;
  const password = given || randomBytes(24).toString('hex');
  const rack = await startMockRack({ port, host: '127.0.0.1', password });
  const withCredentials = rack.url.replace('://', `://convox:${password}@`);
  console.log(`mock convox rack listening on ${rack.url}`);
  if (!given) console.log(`RACK_TOKEN was not set; generated dev password: ${password}`);
  console.log(`try: RACK_URL=${withCredentials} convox apps`);
  const stop = () => {
    void rack.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
