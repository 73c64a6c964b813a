import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAppName } from './app-resolution';

describe('resolveAppName', () => {
  let base: string;
  let nested: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'rgw-app-spec-'));
    nested = join(base, 'project', 'services', 'web');
    mkdirSync(nested, { recursive: true });
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('uses -a/--app first, then CONVOX_APP', () => {
    expect(resolveAppName('flag-app', 'env-app', nested)).toBe('flag-app');
    expect(resolveAppName(undefined, 'env-app', nested)).toBe('env-app');
  });

  it('then the nearest .convox/app walking up from the directory', () => {
    mkdirSync(join(base, 'project', '.convox'));
    writeFileSync(join(base, 'project', '.convox', 'app'), 'linked-app\n');
    expect(resolveAppName(undefined, undefined, nested)).toBe('linked-app');
  });

  it('prefers a closer .convox/app over one further up', () => {
    mkdirSync(join(base, 'project', '.convox'));
    writeFileSync(join(base, 'project', '.convox', 'app'), 'outer');
    mkdirSync(join(nested, '.convox'));
    writeFileSync(join(nested, '.convox', 'app'), 'inner');
    expect(resolveAppName(undefined, undefined, nested)).toBe('inner');
  });

  it('falls back to the directory name', () => {
    expect(resolveAppName(undefined, undefined, nested)).toBe('web');
  });
});
