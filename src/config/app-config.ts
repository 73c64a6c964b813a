/** The validated, typed configuration every module receives (injected with the APP_CONFIG token). */
export const APP_CONFIG = Symbol('APP_CONFIG');

export type RuntimeMode = 'production' | 'development' | 'test';

export interface AppConfig {
  mode: RuntimeMode;
  http: {
    port: number;
    host: string;
    publicUrl: string;
    trustProxyHops: number;
    bodyLimit: string;
    /** How long a SIGTERM waits for in-flight requests and live websockets before ending them. */
    shutdownGraceMs: number;
  };
  logLevel: string;
  database: {
    /** Undefined only in development, where the embedded server provides it. */
    url?: string;
    dataDir: string;
    embeddedPort: number;
  };
  rack: {
    url?: string;
    token?: string;
    username: string;
    name: string;
    caFile?: string;
    pinSha256?: string;
    timeoutMs: number;
  };
  google: {
    clientId?: string;
    clientSecret?: string;
    issuer: string;
    allowedDomain?: string;
  };
  session: {
    secret?: string;
  };
  authRateLimit: {
    /** Login starts, CLI login starts and rejected credentials allowed per minute per IP and per account. */
    perMinute: number;
  };
  bootstrapUsers: {
    admin: string[];
    deployer: string[];
    ops: string[];
    viewer: string[];
  };
  audit: {
    hmacSecret?: string;
    redactExtraKeys: string[];
    anchorFile?: string;
    stdout: boolean;
  };
  /**
   * The raw environment layer of the runtime settings: every `RGW_SETTING_*` / `RGW_APP_*` variable and
   * every older variable marked `runtimeSetting`. The settings module validates them against its registry
   * at boot (src/config cannot know the registry without depending on a feature module).
   */
  settingsEnvironment: Record<string, string>;
  mfa: {
    /** 32-byte key for TOTP secrets at rest and backup-code hashes; undefined only when nothing could give one. */
    encryptionKey?: Buffer;
    /** The key before the last rotation, still accepted for reading. */
    previousEncryptionKey?: Buffer;
  };
  devStack: {
    mockRackPort: number;
    mockOAuthPort: number;
    mockSmtpPort: number;
    mockWebhookPort: number;
  };
}
