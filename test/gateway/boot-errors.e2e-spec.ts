import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The built entry point (npm test builds before running Jest).
const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

function boot(env: Record<string, string>) {
  return spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20000,
  });
}

describe('boot with bad configuration', () => {
  it('stops with one clear message naming each invalid variable', () => {
    const result = boot({ NODE_ENV: 'development', PORT: 'eighty', RACK_URL: 'ftp://rack' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toMatch(/PORT: .*integer/);
    expect(result.stderr).toMatch(/RACK_URL: must be an http\(s\) URL/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses production without real settings and lists what is missing', () => {
    const result = boot({ NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    for (const name of [
      'SESSION_SECRET',
      'AUDIT_HMAC_SECRET',
      'DATABASE_URL',
      'RACK_URL',
      'GOOGLE_CLIENT_ID',
    ]) {
      expect(result.stderr).toContain(`${name}: is required in production`);
    }
  });

  it('never echoes a secret value it rejects', () => {
    const result = boot({ NODE_ENV: 'development', SESSION_SECRET: 'tooshort-canary-8e1f' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SESSION_SECRET: must be at least 32 characters');
    expect(result.stderr).not.toContain('tooshort-canary-8e1f');
  });
});
