import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { throwawayGatewayEnv } from '../../src/dev/throwaway-gateway-env';
import { createTestDatabase } from '../harness/test-database';

// The built entry point (npm test builds before running Jest).
const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

describe('settings environment layer at boot', () => {
  it('stops the gateway with one message naming each bad RGW_ variable and its rule', async () => {
    const env = throwawayGatewayEnv(0, await createTestDatabase(), {
      RGW_SETTING_AUDIT_RETENTION_DAYS: '5',
      RGW_SETTING_NO_SUCH_SETTING: 'true',
      RGW_APP_WEB_SETTING_CI_API_TOKEN: 'x y',
    });
    const result = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toContain(
      'RGW_SETTING_AUDIT_RETENTION_DAYS: audit.retention_days must be a whole number from 30 to 3650 (got "5")',
    );
    expect(result.stderr).toContain('RGW_SETTING_NO_SUCH_SETTING: no setting has this variable');
    expect(result.stderr).toContain('RGW_APP_WEB_SETTING_CI_API_TOKEN: ci.api_token must be');
    expect(result.stderr).not.toContain('x y');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
