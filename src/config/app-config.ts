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
    webIdleMinutes: number;
    webAbsoluteHours: number;
    cliIdleDays: number;
    cliAbsoluteDays: number;
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
    retentionDays: number;
    aggregationWindowSeconds: number;
    redactExtraKeys: string[];
    anchorFile?: string;
    stdout: boolean;
  };
  env: {
    secretKeys: string[];
    protectedKeys: string[];
  };
  devStack: {
    mockRackPort: number;
    mockOAuthPort: number;
  };
}
