import type { Command } from 'commander';
import type { CliEnvironment } from './cli-environment';
import { configDirectory } from '../config/config-paths';
import { ConfigStore } from '../config/config-store';
import { GatewayClient, type MfaAnswer } from '../http/gateway-client';
import { stepUpInBrowser } from '../login/browser-step-up';
import { openInBrowser } from './browser';
import { promptHidden } from './hidden-prompt';
import { expiryReminder } from '../output/expiry-reminder';
import { resolveAppName } from '../resolve/app-resolution';
import { requireCredential, resolveGatewayTarget, type GatewayTarget } from '../resolve/rack-resolution';

/** Options any command may see: the globals plus the common per-command ones. */
export interface CommonOptions {
  rack?: string;
  config?: string;
  app?: string;
  json?: boolean;
  /** `--mfa-code`: a TOTP or backup code sent with the command's calls. */
  mfaCode?: string;
}

/** Whether this person chose a passkey as their preferred method (the prompt then offers it first). */
async function prefersPasskey(client: GatewayClient): Promise<boolean> {
  try {
    return (await client.api<{ preferredMethod?: string }>('GET', '/mfa')).preferredMethod === 'webauthn';
  } catch {
    return false;
  }
}

/** What every command needs from the outside world, created once per run. */
export class CommandContext {
  private reminded = false;

  constructor(
    readonly env: CliEnvironment,
    readonly cwd: string = process.cwd(),
    readonly stdout: NodeJS.WritableStream = process.stdout,
    readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  static options<Extra extends object = object>(command: Command): CommonOptions & Extra {
    return command.optsWithGlobals<CommonOptions & Extra>();
  }

  configStore(options: CommonOptions): ConfigStore {
    return new ConfigStore(configDirectory(options.config, this.env));
  }

  target(options: CommonOptions): GatewayTarget {
    return resolveGatewayTarget(options.rack, this.env, this.configStore(options).load());
  }

  /** The target with a usable credential; reminds once on stderr when the session ends soon. */
  credentialedTarget(options: CommonOptions): GatewayTarget & { token: string } {
    const target = requireCredential(this.target(options));
    const reminder = expiryReminder(target);
    if (reminder && !this.reminded) {
      this.reminded = true;
      this.warn(reminder);
    }
    return target;
  }

  client(options: CommonOptions): GatewayClient {
    const target = this.credentialedTarget(options);
    return new GatewayClient(target, {
      code: options.mfaCode,
      // Only a person at a terminal can answer; scripts get the gateway's message (which names --mfa-code).
      prompt: process.stdin.isTTY ? (requirement) => this.askForMfa(target, requirement) : undefined,
    });
  }

  /**
   * A code, or (Enter) a passkey approval in the browser. The approval verifies the session, and its
   * single-use proof rides on the one retried request, as a code would (what an `always` action needs).
   */
  private async askForMfa(
    target: GatewayTarget & { token: string },
    requirement: string,
  ): Promise<MfaAnswer | undefined> {
    this.warn(`Multi-factor authentication required (${requirement.replace('_', '-')}).`);
    const client = new GatewayClient(target);
    const question = (await prefersPasskey(client))
      ? 'Enter MFA code, or just press Enter to approve with your passkey in the browser (your preferred method): '
      : 'Enter MFA code (authenticator app or backup code), or press Enter to approve with a passkey in the browser: ';
    const code = await promptHidden(question);
    if (code) return { code };
    const { proof } = await stepUpInBrowser(client, {
      browserUrlReady: async (url) => {
        this.warn(`Approve in your browser with your passkey: ${url}`);
        await openInBrowser(url);
      },
    });
    // Sent with the retry whatever was asked: a session refused for login first may be retrying an
    // `always` action, which the proof then covers too (the gateway leaves it unspent when nothing is owed).
    return proof ? { proof } : { verified: true };
  }

  app(options: CommonOptions): string {
    return resolveAppName(options.app, this.env.convoxApp, this.cwd);
  }

  print(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Tables for people, JSON for scripts (`--json`). */
  output(options: CommonOptions, value: unknown, human: () => string): void {
    this.print(options.json ? JSON.stringify(value, null, 2) : human());
  }
}
