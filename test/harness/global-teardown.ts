import type { EmbeddedPostgresServer } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__RGW_PG__ as EmbeddedPostgresServer | undefined;
  await server?.stop();
}
