import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayApp } from '../app.factory';
import { loadConfig } from '../config/load-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { throwawayGatewayEnv } from '../dev/throwaway-gateway-env';
import { repoRoot } from './generated-docs';
import { errorMessage } from '../errors/error-message';

/**
 * `npm run docs:openapi`: boots a throwaway gateway (its own embedded PostgreSQL) and writes the OpenAPI
 * document it serves at /api/docs-json to docs/openapi.json, so API changes show up in review.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgw-openapi-'));
  const database = await startEmbeddedPostgres({
    dataDir,
    port: 54000 + Math.floor(Math.random() * 1000),
    persistent: false,
  });
  try {
    const config = loadConfig(
      throwawayGatewayEnv(0, database.databaseUrl, { RACK_URL: 'http://127.0.0.1:9', RACK_TOKEN: 'unused' }),
    );
    const app = await createGatewayApp(config, database.databaseUrl);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const document = await (await fetch(`http://127.0.0.1:${port}/api/docs-json`)).json();
    await app.close();
    writeFileSync(join(repoRoot(), 'docs', 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
    console.log('wrote docs/openapi.json');
  } finally {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
