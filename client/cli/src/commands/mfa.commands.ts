import type { Command } from 'commander';
import { CommandContext } from '../cli/command-context';
import { CliError } from '../cli/cli-error';
import { withJsonOption } from '../cli/common-options';
import { openInBrowser } from '../cli/browser';
import { promptHidden } from '../cli/hidden-prompt';
import { stepUpInBrowser } from '../login/browser-step-up';
import { relativeTime } from '../output/relative-time';
import { renderTable } from '../output/table';

interface MfaStatus {
  required: boolean;
  enrolled: boolean;
  verified: boolean;
  stepUpExpiresAt?: string;
  preferredMethodId?: string;
  methods: {
    id: string;
    kind: string;
    label: string;
    cliCapable: boolean;
    preferred: boolean;
    lastUsedAt?: string;
  }[];
  backupCodes: { total: number; unused: number };
}

interface TrustedDevice {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt?: string;
}

const KIND_NAMES: Record<string, string> = { totp: 'authenticator app', webauthn: 'passkey' };

function printCodes(context: CommandContext, codes: string[]): void {
  context.print('Backup codes (each works once; store them somewhere safe, they are not shown again):');
  for (const code of codes) context.print(`  ${code}`);
}

/** `rack-gateway mfa status|enroll|backup-codes|devices`: the caller's own second factors. */
export function registerMfaCommands(program: Command, context: CommandContext): void {
  const mfa = program
    .command('mfa')
    .description('multi-factor authentication: status, enrolment, backup codes, devices');

  withJsonOption(
    mfa.command('status').description('show your MFA methods and this session’s verification'),
  ).action(async (_options: unknown, command: Command) => {
    const options = CommandContext.options(command);
    const status = await context.client(options).api<MfaStatus>('GET', '/mfa');
    const preferred = status.methods.find((m) => m.preferred);
    context.output(options, status, () =>
      [
        `Required:   ${status.required ? 'yes' : 'no'}`,
        `Verified:   ${status.verified ? 'yes (this session)' : 'no'}`,
        `Step-up:    ${status.stepUpExpiresAt ? `until ${status.stepUpExpiresAt}` : 'not fresh'}`,
        `Backup:     ${status.backupCodes.unused} of ${status.backupCodes.total} codes unused`,
        `Preferred:  ${preferred ? `${preferred.label} (${KIND_NAMES[preferred.kind] ?? preferred.kind})` : 'none'}`,
        '',
        status.methods.length === 0
          ? 'No methods enrolled: run `rack-gateway mfa enroll`.'
          : renderTable(
              ['ID', 'KIND', 'LABEL', 'CLI', 'PREFERRED', 'LAST USED'],
              status.methods.map((m) => [
                m.id,
                m.kind,
                m.label,
                m.cliCapable ? 'yes' : 'no',
                m.preferred ? 'yes' : '',
                relativeTime(m.lastUsedAt),
              ]),
            ),
      ].join('\n'),
    );
  });

  mfa
    .command('enroll')
    .description('add an authenticator app (TOTP): prints the secret and otpauth URI, then asks for a code')
    .option('--label <label>', 'name for this authenticator', 'Authenticator app')
    .option('--code <code>', 'confirm with this code instead of being asked')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ label: string; code?: string }>(command);
      const client = context.client(options);
      const started = await client.api<{ methodId: string; secret: string; uri: string }>(
        'POST',
        '/mfa/totp',
        {
          json: { label: options.label },
        },
      );
      context.warn(
        'Add this account to your authenticator app (scan the URI as a QR code, or type the secret):',
      );
      context.warn(`  URI:    ${started.uri}`);
      context.warn(`  Secret: ${started.secret}`);
      const code = options.code ?? (await promptHidden('Enter the 6-digit code the app shows: '));
      if (!code) throw new CliError('no code entered; run `rack-gateway mfa enroll` again');
      const confirmed = await client.api<{ backupCodes?: string[] }>(
        'POST',
        `/mfa/totp/${started.methodId}/confirm`,
        {
          json: { code },
        },
      );
      context.print('✓ Authenticator app enrolled');
      if (confirmed.backupCodes) printCodes(context, confirmed.backupCodes);
    });

  mfa
    .command('prefer <id>')
    .description('make one of your methods (an ID from `mfa status`) the one challenges open on')
    .action(async (id: string, _options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const method = await context
        .client(options)
        .api<{ label: string; kind: string }>('PUT', '/mfa/preferred-method', { json: { methodId: id } });
      context.print(`✓ Preferred method: ${method.label} (${KIND_NAMES[method.kind] ?? method.kind})`);
    });

  mfa
    .command('backup-codes')
    .description('replace your backup codes with ten new ones (needs a recent verification)')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const { backupCodes } = await context
        .client(options)
        .api<{ backupCodes: string[] }>('POST', '/mfa/backup-codes');
      printCodes(context, backupCodes);
    });

  mfa
    .command('verify')
    .description('verify this CLI session now: with a code, or with a passkey in the browser (--browser)')
    .option('--browser', 'approve with a passkey in the browser (for people without an authenticator app)')
    .option('--no-open', 'print the approval URL instead of opening a browser')
    .action(async (_options: unknown, command: Command) => {
      const options = CommandContext.options<{ browser?: boolean; open?: boolean }>(command);
      const client = context.client(options);
      if (options.browser) {
        await stepUpInBrowser(client, {
          browserUrlReady: async (url) => {
            context.warn(`Approve in your browser with your passkey: ${url}`);
            if (options.open !== false) await openInBrowser(url);
          },
        });
      } else {
        const code =
          options.mfaCode ?? (await promptHidden('Enter MFA code (authenticator app or backup code): '));
        if (!code) throw new CliError('no code entered (use --browser to approve with a passkey)');
        await client.api('POST', '/mfa/verify', { json: { code } });
      }
      context.print('✓ This session is verified');
    });

  const devices = mfa.command('devices').description('browsers you trusted to skip the login challenge');
  withJsonOption(devices.command('list', { isDefault: true }).description('list trusted browsers')).action(
    async (_options: unknown, command: Command) => {
      const options = CommandContext.options(command);
      const list = await context.client(options).api<TrustedDevice[]>('GET', '/mfa/trusted-devices');
      context.output(options, list, () =>
        list.length === 0
          ? 'No trusted browsers.'
          : renderTable(
              ['ID', 'BROWSER', 'TRUSTED', 'LAST USED', 'EXPIRES'],
              list.map((d) => [
                d.id,
                d.label.slice(0, 40),
                relativeTime(d.createdAt),
                relativeTime(d.lastUsedAt),
                d.expiresAt,
              ]),
            ),
      );
    },
  );
  devices
    .command('revoke [id]')
    .description('stop trusting one browser, or every one with --all')
    .option('--all', 'revoke every trusted browser')
    .action(async (id: string | undefined, _options: unknown, command: Command) => {
      const options = CommandContext.options<{ all?: boolean }>(command);
      if (!id && !options.all) throw new CliError('name a device id or pass --all');
      const path = options.all ? '/mfa/trusted-devices' : `/mfa/trusted-devices/${encodeURIComponent(id!)}`;
      const result = await context.client(options).api<{ revoked: number | boolean }>('DELETE', path);
      context.print(`revoked: ${String(result.revoked)}`);
    });
}
