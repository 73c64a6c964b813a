import { formatDuration, parseDuration } from './duration';
import { invalidValue } from './setting-errors';
import { settingDefinition } from './settings-registry';

const definition = (key: string) => {
  const found = settingDefinition(key);
  if (!found) throw new Error(`no ${key}`);
  return found;
};

/** [key, accepted input, stored form] — one row per type, edges of each range included. */
const GOOD: [string, unknown, unknown][] = [
  ['proxy.allow_destructive_actions', true, true],
  ['proxy.allow_destructive_actions', false, false],
  ['audit.retention_days', 30, 30],
  ['audit.retention_days', 3650, 3650],
  ['sessions.web_idle_timeout', '1m', '1m'],
  ['sessions.web_idle_timeout', '90m', '1h30m'],
  ['sessions.web_idle_timeout', ' 7d ', '7d'],
  ['audit.read_folding_window', '0s', '0s'],
  ['ci.provider', 'circleci', 'circleci'],
  ['vcs.repo', 'acme/web-app', 'acme/web-app'],
  ['vcs.repo', '', ''],
  [
    'deploy.approved_commands',
    ['bin/migrate', ' rake db:migrate ', 'bin/migrate'],
    ['bin/migrate', 'rake db:migrate'],
  ],
  ['env.app_secret_keys', ['stripe_*', 'REDIS_URL', 'redis_url'], ['STRIPE_*', 'REDIS_URL']],
  [
    'deploy.service_image_patterns',
    { web: '^registry/web:{{GIT_COMMIT}}$', '*': '.+' },
    { '*': '.+', web: '^registry/web:{{GIT_COMMIT}}$' },
  ],
];

/** [key, rejected input, words the 400 message must contain besides the key]. */
const BAD: [string, unknown, string][] = [
  ['proxy.allow_destructive_actions', 'true', 'true or false'],
  ['proxy.allow_destructive_actions', 1, 'true or false'],
  ['audit.retention_days', 29, 'a whole number from 30 to 3650'],
  ['audit.retention_days', 3651, 'a whole number from 30 to 3650'],
  ['audit.retention_days', 45.5, 'a whole number'],
  ['audit.retention_days', '400', 'a whole number'],
  ['sessions.web_idle_timeout', '30s', 'from 1m to 7d'],
  ['sessions.web_idle_timeout', '8d', 'from 1m to 7d'],
  ['sessions.web_idle_timeout', 1800, 'a duration'],
  ['sessions.web_idle_timeout', '30 minutes', 'a duration'],
  ['ci.provider', 'jenkins', 'one of "none", "circleci"'],
  ['vcs.repo', 'not a repo', 'owner/repository'],
  ['deploy.approved_commands', 'bin/migrate', 'a list of at most 100'],
  ['deploy.approved_commands', [''], 'non-empty'],
  ['deploy.approved_commands', [42], 'non-empty texts'],
  ['env.app_secret_keys', ['REDIS URL'], 'env key names'],
  ['env.app_secret_keys', Array.from({ length: 201 }, (_, i) => `K${i}`), 'at most 200'],
  ['deploy.service_image_patterns', { web: '(' }, 'regular expressions'],
  ['deploy.service_image_patterns', { Web_1: '.+' }, 'service names'],
  ['deploy.service_image_patterns', ['.+'], 'an object'],
];

describe('setting value types', () => {
  it.each(GOOD)('%s accepts %j, stored as %j', (key, input, stored) => {
    expect(definition(key).type.normalize(input)).toEqual(stored);
  });

  it.each(BAD)('%s refuses %j with a 400 naming the key and the rule', (key, input, rule) => {
    const def = definition(key);
    expect(def.type.normalize(input)).toBeUndefined();
    const error = invalidValue(def, input);
    expect(error.getStatus()).toBe(400);
    const body = error.getResponse() as { error: string; message: string };
    expect(body.error).toBe('invalid_setting_value');
    expect(body.message).toContain(`${key} must be`);
    expect(body.message).toContain(rule);
  });

  it('never echoes a rejected value of a sensitive setting', () => {
    const body = invalidValue(definition('ci.api_token'), 'short canary').getResponse() as {
      message: string;
    };
    expect(body.message).toContain('ci.api_token must be');
    expect(body.message).not.toContain('canary');
  });

  it('reads environment text per type: booleans, numbers, JSON or comma-separated lists, JSON maps', () => {
    expect(definition('proxy.allow_destructive_actions').type.fromText('ON')).toBe(true);
    expect(definition('audit.retention_days').type.fromText('90')).toBe(90);
    expect(definition('deploy.approved_commands').type.fromText('a, b')).toEqual(['a', ' b']);
    expect(definition('deploy.approved_commands').type.fromText('["sh -c \\"a, b\\""]')).toEqual([
      'sh -c "a, b"',
    ]);
    expect(definition('deploy.service_image_patterns').type.fromText('{"web":".+"}')).toEqual({ web: '.+' });
  });
});

describe('durations', () => {
  it.each([
    ['45s', 45],
    ['15m', 900],
    ['1h30m', 5400],
    ['2d12h', 216000],
  ])('%s is %d seconds and formats back the same', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each(['', '15', 'm', '1.5h', '-5m', '15 m', '1w'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
