import { createGatewayApp } from '../src/app.factory';
import { loadConfig } from '../src/config/load-config';
import { throwawayGatewayEnv } from '../src/dev/throwaway-gateway-env';
import { expandPatterns } from '../src/rbac/permission-match';
import { permissionsForRoles } from '../src/rbac/roles';
import { ApiTokensService } from '../src/tokens/api-tokens.service';
import { UsersService } from '../src/users/users.service';

/** Tokens the first replica mints for the two-replica and soak benchmarks. */
export interface ReplicaTokens {
  /** Every convox permission of an admin: reads, env changes, uploads, logs and exec. */
  load: string;
  /** A viewer's: its env changes and exec are refused (the expected refusals of the soak). */
  viewer: string;
  /** Viewer tokens revoked one by one to time how soon the other replica refuses them. */
  probes: { id: string; token: string }[];
}

/**
 * One gateway process of a multi-process benchmark, as deployed: production code on a shared PostgreSQL
 * with shared secrets (SESSION_SECRET, AUDIT_HMAC_SECRET from the parent). Prints one JSON line
 * `{"port","pid","tokens"?}` when listening; `BENCH_MINT_PROBES=<n>` makes it mint the tokens first, and
 * `BENCH_MEMORY_EVERY_MS` makes it print `{"memory":{"rss","heapUsed"}}` lines that often (after a full
 * collection when started with --expose-gc).
 */
async function main(): Promise<void> {
  const port = Number(process.env.BENCH_GATEWAY_PORT);
  const config = loadConfig({
    ...throwawayGatewayEnv(port, process.env.DATABASE_URL ?? ''),
    RACK_URL: process.env.RACK_URL,
    RACK_TOKEN: process.env.RACK_TOKEN,
    SESSION_SECRET: process.env.SESSION_SECRET,
    AUDIT_HMAC_SECRET: process.env.AUDIT_HMAC_SECRET,
    ADMIN_USERS: 'bench@example.com',
    VIEWER_USERS: 'viewer@example.com',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_GRACE_SECONDS: '2',
  });
  const app = await createGatewayApp(config, process.env.DATABASE_URL ?? '');
  await app.listen(port, '127.0.0.1');
  const probes = Number(process.env.BENCH_MINT_PROBES ?? '');
  const tokens =
    Number.isInteger(probes) && process.env.BENCH_MINT_PROBES ? await mint(app, probes) : undefined;
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid, tokens })}\n`);
  // The soak reads the live heap too: RSS alone cannot tell a leak from V8 growing its heap before it
  // collects. With --expose-gc each report follows a full collection, so heapUsed is what survives.
  const every = Number(process.env.BENCH_MEMORY_EVERY_MS ?? 0);
  if (every > 0) {
    setInterval(() => {
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.stdout.write(`${JSON.stringify({ memory: { rss, heapUsed } })}\n`);
    }, every).unref();
  }
}

async function mint(
  app: Awaited<ReturnType<typeof createGatewayApp>>,
  probes: number,
): Promise<ReplicaTokens> {
  const users = app.get(UsersService);
  const apiTokens = app.get(ApiTokensService);
  const admin = await users.getByEmail('bench@example.com');
  const grantor = { email: admin.email, permissions: permissionsForRoles(admin.roles) };
  const convox = expandPatterns(permissionsForRoles(admin.roles)).filter((p) => p.startsWith('convox:'));
  const load = await apiTokens.create(admin, { name: 'bench-load', permissions: convox }, grantor);
  const viewer = await users.getByEmail('viewer@example.com');
  const refused = await apiTokens.create(viewer, { name: 'bench-viewer', role: 'viewer' }, grantor);
  const minted: ReplicaTokens['probes'] = [];
  for (let i = 0; i < probes; i++) {
    const probe = await apiTokens.create(viewer, { name: `revocation-probe-${i}`, role: 'viewer' }, grantor);
    minted.push({ id: probe.entity.id, token: probe.token });
  }
  return { load: load.token, viewer: refused.token, probes: minted };
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
