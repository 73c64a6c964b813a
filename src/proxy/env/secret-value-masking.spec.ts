import { ENV_MASK } from './env-mask';
import { holdsSecretShape, maskSecretsInValue } from './secret-value-masking';

const M = ENV_MASK;

describe('maskSecretsInValue', () => {
  it.each([
    ['amqp://u:p@rabbit:5672', `amqp://u:${M}@rabbit:5672`],
    ['postgres://app:s3cr3t@db.internal:5432/app', `postgres://app:${M}@db.internal:5432/app`],
    ['postgres://app:p@ss@db:5432/app', `postgres://app:${M}@db:5432/app`],
    ['redis://:hunter2@cache:6379/0', `redis://:${M}@cache:6379/0`],
    ['https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1', `https://${M}@o1.ingest.sentry.io/1`],
    ['https://key@sentry.io/1', `https://${M}@sentry.io/1`],
    ['ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', M],
    ['gho_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', M],
    ['ghs_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', M],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', M],
    [
      'https://ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789@github.com/o/r.git',
      `https://${M}@github.com/o/r.git`,
    ],
    ['glpat-AbCdEfGhIjKlMnOpQrSt', M],
    ['AKIAIOSFODNN7EXAMPLE', M],
    ['ASIAIOSFODNN7EXAMPLE', M],
    ['xoxb-123456789012-1234567890123-AbCdEfGhIjKl', M],
    ['xoxp-123456789012-abcdef', M],
    ['sk_live_51HabcdefGHIJKLmnop', M],
    ['sk_test_mockrack_00000000000000000000', M],
    ['rk_live_51HabcdefGHIJKLmnop', M],
    ['whsec_AbCdEfGhIjKlMnOp', M],
    ['npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', M],
    ['AIzaSyA-0123456789abcdefghijklmnopqrstu', M],
    ['sk-proj-AbCdEfGhIjKlMnOpQrStUvWx', M],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', M],
    ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijkl', `Bearer ${M}`],
    ['-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----', M],
    ['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\nrest', `${M}\nrest`],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA', M],
    [
      'https://store.blob.core.windows.net/c?sv=2022&sig=AbC%2Fdef',
      `https://store.blob.core.windows.net/c?sv=2022&sig=${M}`,
    ],
    ['redis://cache:6379?password=hunter2&db=0', `redis://cache:6379?password=${M}&db=0`],
    ['https://hooks.slack.com/services/T000/B000/XXXXXXXX', `https://hooks.slack.com/services/${M}`],
  ])('hides the credential in %j', (value, shown) => {
    expect(maskSecretsInValue(value)).toBe(shown);
    expect(holdsSecretShape(value)).toBe(true);
    // Masking what is already masked changes nothing: the round-trip compares masked views.
    expect(maskSecretsInValue(shown)).toBe(shown);
  });

  it.each([
    'https://example.com/path',
    'postgres://host/db',
    'postgres://db.internal:5432/app?sslmode=require',
    'redis://cache.myapp.svc.cluster.local:6379/0',
    'production',
    '3000',
    'ops@example.com',
    'git@github.com:org/repo.git',
    'https://example.com/?q=search&page=2',
    'RKQPZMWTRNB',
    '4f2a9c1d7e0b8e3a6f214f2a9c1d7e0b8e3a6f21',
    'c1a4f5e2-9b7d-4c3e-8f1a-2b3c4d5e6f70',
    'AKIA',
    'sk_test',
    'eyJ',
    'task-runner',
    '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----',
    'user:pass without a scheme',
    '',
  ])('leaves %j visible', (value) => {
    expect(maskSecretsInValue(value)).toBe(value);
    expect(holdsSecretShape(value)).toBe(false);
  });
});
