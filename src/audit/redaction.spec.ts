import { createRedactor, REDACTED } from './redaction';
import { sensitiveNameMatcher } from './sensitive-names';

const CANARY = 'Canary7fQ2xZpLm9';
const TOKEN = `rgw_${'A1b2C3d4E5'.repeat(4)}xyz`;
const SESSION = 'k3J9sd8f7G6h5J4k3L2m1N0bV9cX8zA7sD6fG5hJ4kL';

const redactor = createRedactor(['x-internal-pin']);

/** Every position a secret can arrive in, each paired with the redaction that position goes through. */
const POSITIONS: [string, (secret: string) => unknown][] = [
  ['Authorization header', (s) => redactor.headers({ authorization: `Bearer ${s}` })],
  [
    'Basic header',
    (s) => redactor.headers({ authorization: `Basic ${Buffer.from(`convox:${s}`).toString('base64')}` }),
  ],
  ['Cookie header', (s) => redactor.headers({ cookie: `rgw_session=${s}` })],
  ['X-Api-Key header', (s) => redactor.headers({ 'x-api-key': s })],
  ['configured extra header', (s) => redactor.headers({ 'x-internal-pin': s })],
  ['query token', (s) => redactor.url(`/api/v1/rack-proxy/apps?token=${s}&x=1`)],
  ['query password (encoded name)', (s) => redactor.url(`/x?pass%77ord=${s}`)],
  ['OAuth code in query', (s) => redactor.url(`/api/v1/auth/web/callback?code=${s}&state=${s}`)],
  ['form body', (s) => redactor.value({ form: { username: 'a', password: s } })],
  [
    'JSON body nested',
    (s) => redactor.value({ user: { credentials: { apiKey: s } }, list: [{ client_secret: s }] }),
  ],
  ['JSON value shaped like a token', () => redactor.value({ note: `use ${TOKEN} please` })],
  ['session token in free text', () => redactor.value({ note: `leaked ${SESSION}` })],
  ['env text', (s) => redactor.envText(`DATABASE_URL=postgres://u:${s}@db/x\nPLAIN=${s}`)],
  ['exec command: URL password', (s) => redactor.command(`psql postgres://app:${s}@db:5432/app`)],
  ['exec command: flag', (s) => redactor.command(`mysql --password=${s} -u root`)],
  ['exec command: spaced flag', (s) => redactor.command(`vault login --token ${s}`)],
  ['exec command: env prefix', (s) => redactor.command(`API_SECRET=${s} rake db:migrate`)],
  ['exec command: header argument', (s) => redactor.command(`curl -H 'Authorization: Bearer ${s}' http://x`)],
  ['exec command: any env prefix', (s) => redactor.command(`FOO=${s} rake db:migrate`)],
  ['exec command: env(1) prefix', (s) => redactor.command(`env -i FOO=${s} BAR="${s} x" ./run`)],
  ['exec command: env inside sh -c', (s) => redactor.command(`sh -c 'cd /app && FOO=${s} ./run'`)],
  ['exec command: export', (s) => redactor.command(`export FOO=${s}; ./run`)],
  ['exec command: -p password', (s) => redactor.command(`mysql -u root -p ${s} app`)],
  ['exec command: -u user:password', (s) => redactor.command(`curl -u admin:${s} https://x`)],
  ['exec command: --password spaced', (s) => redactor.command(`pg_dump --password ${s}`)],
  ['exec command: JWT', () => redactor.command('curl -d eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')],
];

describe('redaction', () => {
  it.each(POSITIONS)('removes the canary from the %s', (_position, redact) => {
    const out = JSON.stringify(redact(CANARY));
    expect(out).not.toContain(CANARY);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(SESSION);
    expect(out).not.toContain('eyJzdWIiOiIxIn0');
    expect(out).toContain(REDACTED);
  });

  it('cuts a credential after the Token scheme, not a token name after the word', () => {
    expect(redactor.text('Authorization: Token 9f8e7d6c5b4a39281706')).toBe(`Authorization: ${REDACTED}`);
    expect(redactor.text(`token ${CANARY}`)).toBe(REDACTED);
    expect(redactor.text('deployed by token github-deploy-myapp (ci@example.com)')).toBe(
      'deployed by token github-deploy-myapp (ci@example.com)',
    );
  });

  it('keeps what an auditor needs: env key names, ids, plain commands and paths', () => {
    expect(redactor.value({ envChanged: ['DATABASE_PASSWORD'], sessionId: 's-1', tokenName: 'ci' })).toEqual({
      envChanged: ['DATABASE_PASSWORD'],
      sessionId: 's-1',
      tokenName: 'ci',
    });
    expect(redactor.command('bin/rails db:migrate VERBOSE=true')).toBe('bin/rails db:migrate VERBOSE=true');
    expect(redactor.command('export A=1; FOO=2 make -j4 && find . -print')).toBe(
      `export A=${REDACTED}; FOO=${REDACTED} make -j4 && find . -print`,
    );
    expect(redactor.command('mysql -p -u root app')).toBe('mysql -p -u root app');
    expect(redactor.command('curl -u admin:pw x')).toBe(`curl -u admin:${REDACTED} x`);
    expect(redactor.url('/api/v1/rack-proxy/apps/web/releases?limit=5')).toBe(
      '/api/v1/rack-proxy/apps/web/releases?limit=5',
    );
    expect(redactor.envText('A=1\nB=2')).toBe(`A=${REDACTED}\nB=${REDACTED}`);
  });

  it('classifies names by words, not substrings', () => {
    const sensitive = sensitiveNameMatcher();
    expect(
      ['password', 'X-Auth-Token', 'clientSecret', 'AWS_SECRET_ACCESS_KEY', 'apikey', 'code'].every(
        sensitive,
      ),
    ).toBe(true);
    expect(['keys', 'envKeys', 'tokenId', 'monkey', 'exitCode', 'keyboard', 'path'].some(sensitive)).toBe(
      false,
    );
  });

  it('bounds depth and drops functions', () => {
    let deep: Record<string, unknown> = { leaf: CANARY };
    for (let i = 0; i < 20; i += 1) deep = { next: deep };
    expect(JSON.stringify(redactor.value(deep))).toContain(REDACTED);
    expect(redactor.value({ fn: () => 1, n: 2 })).toEqual({ n: 2 });
  });
});
