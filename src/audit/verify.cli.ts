import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from '../database/data-source-options';
import { operatorSetup } from '../dev/operator-setup';
import { errorMessage } from '../errors/error-message';
import { verifyAuditChain } from './audit-chain-verifier';

/**
 * `npm run audit:verify`: walks the audit chain and exits 1 at the first broken, edited, inserted or deleted
 * event. Without DATABASE_URL it checks the development stack's database with the stack's key.
 */
async function main(): Promise<void> {
  const setup = await operatorSetup(process.env);
  try {
    const config = loadConfig({ NODE_ENV: 'development', ...setup.env });
    if (!config.audit.hmacSecret) throw new Error('AUDIT_HMAC_SECRET is required');
    const dataSource = new DataSource(dataSourceOptions(setup.databaseUrl));
    await dataSource.initialize();
    try {
      const report = await verifyAuditChain(dataSource, config.audit.hmacSecret);
      console.log(JSON.stringify(report, null, 2));
      if (!report.ok) process.exitCode = 1;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await setup.release();
  }
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
