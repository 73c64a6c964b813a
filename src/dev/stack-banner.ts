export interface StackBannerFacts {
  gatewayUrl: string;
  rackUrl: string;
  rackPassword: string;
  oauthIssuer: string;
  /** The webhook sink: lists every notification received (Slack, webhook, email). */
  notificationsUrl: string;
  smtpPort: number;
  database: string;
  users: string[];
}

/** Marks the lines that are commands to paste; test/dev/stack-banner.e2e-spec.ts runs every one of them. */
export const COMMAND_PREFIX = '    $ ';

/**
 * What `npm start` prints once the stack is up. Every line starting with `$` is a complete command that
 * works when pasted into a shell in the repository (the test runs them in order against a running stack).
 */
export function stackBanner(facts: StackBannerFacts): string {
  const { gatewayUrl } = facts;
  const proxyUrl = `${gatewayUrl.replace('://', '://convox:$TOKEN@')}/api/v1/rack-proxy`;
  const $ = (command: string) => `${COMMAND_PREFIX}${command}`;
  return [
    '',
    'rack-gateway development stack is running (loopback only):',
    `  gateway          ${gatewayUrl}   (API docs: ${gatewayUrl}/api/docs)`,
    `  mock rack        ${facts.rackUrl}   password: ${facts.rackPassword}`,
    `  mock Google      ${facts.oauthIssuer}`,
    `  PostgreSQL       ${facts.database}`,
    `  notifications    ${facts.notificationsUrl}   (mock Slack + signed webhook; mail on SMTP 127.0.0.1:${facts.smtpPort}; also printed here)`,
    '',
    `  log in in the browser: ${gatewayUrl}/api/v1/auth/web/login   as ${facts.users.join(', ')}`,
    '',
    '  the rack-gateway CLI (log in as admin@example.com in the browser it opens):',
    $(`npx rack-gateway login dev ${gatewayUrl}`),
    $('npx rack-gateway apps'),
    $('npx rack-gateway api-token create --name dev-cli --role deployer --output token'),
    '',
    '  an API token without logging in, and the convox CLI through the gateway with it:',
    $('export TOKEN=$(npm run -s manage -- create-token --email admin@example.com --name dev --role admin)'),
    $(`RACK_URL=${proxyUrl} convox apps`),
    '',
    // Not `$` lines: enrolling asks for a code, so these are told rather than pasted.
    '  MFA is optional in development. To try it: `npx rack-gateway mfa enroll`, then a code for that user any',
    '  time with `npm run -s manage -- totp-code --email admin@example.com` (use it with --mfa-code, or after',
    '  the token as <token>.totp.<code> for the convox CLI). Passkeys need a host name, not an IP: start with',
    `  PUBLIC_URL=http://localhost:${new URL(facts.gatewayUrl).port} npm start and browse there.`,
    '',
    "  operator commands use this stack's database and keys, running or not:",
    $('npm run -s audit:verify'),
    '',
  ].join('\n');
}
