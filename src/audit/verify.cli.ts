import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from '../database/data-source-options';
import { verifyAuditChain } from './audit-chain-verifier';

/** `npm run audit:verify`: walks the audit chain and exits 1 at the first broken, edited, inserted or deleted event. */
async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', ...process.env });
  if (!config.database.url) throw new Error('DATABASE_URL is required');
  if (!config.audit.hmacSecret) throw new Error('AUDIT_HMAC_SECRET is required');
  const dataSource = new DataSource(dataSourceOptions(config.database.url));
  await dataSource.initialize();
  try {
    const report = await verifyAuditChain(dataSource, config.audit.hmacSecret);
    console.log(JSON.stringify(report, null, 2));
    if (!report.ok) process.exitCode = 1;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
