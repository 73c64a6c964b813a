import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { createGatewayApp } from './app.factory';
import { loadConfig } from './config/load-config';
import { startDevelopmentDatabase } from './database/development-database';
import { errorMessage } from './errors/error-message';

/** Runs the gateway alone. In production every setting must be real; see docs/CONFIGURATION.md. */
export async function runGateway(env: Record<string, string | undefined>): Promise<void> {
  const config = loadConfig(env);
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    // Only reachable outside production: loadConfig requires DATABASE_URL there.
    const embedded = await startDevelopmentDatabase({
      dataDir: resolve(join(config.database.dataDir, 'postgres')),
      port: config.database.embeddedPort,
      persistent: true,
      onNotice: (message) => console.error(message),
    });
    databaseUrl = embedded.databaseUrl;
  }
  const app = await createGatewayApp(config, databaseUrl);
  await app.listen(config.http.port, config.http.host);
}

if (require.main === module) {
  runGateway(process.env).catch((error: unknown) => {
    console.error(errorMessage(error));
    process.exit(1);
  });
}
