import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../cli/cli-error';
import { ConfigStore } from './config-store';
import { configDirectory } from './config-paths';

describe('ConfigStore', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'rgw-config-spec-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('returns an empty config when the file does not exist', () => {
    expect(new ConfigStore(join(base, 'missing')).load()).toEqual({ racks: {} });
  });

  it('round-trips racks and the current rack', () => {
    const store = new ConfigStore(join(base, 'cfg'));
    const config = {
      current: 'staging',
      racks: {
        staging: {
          url: 'https://gw.example.com',
          token: 't0k',
          expiresAt: '2030-01-01T00:00:00Z',
          email: 'a@x.io',
        },
      },
    };
    store.save(config);
    expect(new ConfigStore(join(base, 'cfg')).load()).toEqual(config);
  });

  it('creates the directory 0700 and the file 0600 because the file holds tokens', () => {
    const store = new ConfigStore(join(base, 'nested', 'cfg'));
    store.save({ racks: { a: { url: 'https://a', token: 'secret' } } });
    expect(statSync(store.directory).mode & 0o777).toBe(0o700);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('replaces the file atomically and leaves no temporary files behind', () => {
    const store = new ConfigStore(base);
    store.save({ racks: { a: { url: 'https://a' } } });
    const before = statSync(store.path).ino;
    store.update((config) => {
      config.current = 'a';
    });
    // a rename gives the path a new inode; an in-place rewrite would keep the old one
    expect(statSync(store.path).ino).not.toBe(before);
    expect(readdirSync(base)).toEqual(['config.json']);
    expect(JSON.parse(readFileSync(store.path, 'utf8')).current).toBe('a');
  });

  it.each([
    ['broken JSON', '{"racks": {', /not valid JSON/],
    ['an array at the top level', '[]', /top level is not an object/],
    ['racks that are not an object', '{"racks": 3}', /"racks" is not an object/],
    ['a rack without url', '{"racks": {"a": {"token": "x"}}}', /rack "a" has no "url"/],
    ['a numeric token', '{"racks": {"a": {"url": "https://a", "token": 5}}}', /non-text "token"/],
  ])('reports %s as a corrupt config naming the file', (_case, text, reason) => {
    writeFileSync(join(base, 'config.json'), text);
    const load = () => new ConfigStore(base).load();
    expect(load).toThrow(CliError);
    expect(load).toThrow(reason);
    expect(load).toThrow(join(base, 'config.json'));
  });

  it('does not overwrite a corrupt file when an update fails to load it', () => {
    writeFileSync(join(base, 'config.json'), 'garbage');
    expect(() => new ConfigStore(base).update(() => undefined)).toThrow(/corrupt/);
    expect(readFileSync(join(base, 'config.json'), 'utf8')).toBe('garbage');
  });
});

describe('configDirectory', () => {
  const env = { home: '/home/dev' };

  it('prefers --config, then RACK_GATEWAY_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    const all = { ...env, configDir: '/env/dir', xdgConfigHome: '/xdg' };
    expect(configDirectory('/flag', all)).toBe('/flag');
    expect(configDirectory(undefined, all)).toBe('/env/dir');
    expect(configDirectory(undefined, { ...env, xdgConfigHome: '/xdg' })).toBe('/xdg/rack-gateway');
    expect(configDirectory(undefined, env)).toBe('/home/dev/.config/rack-gateway');
  });
});
