import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Setting } from './setting.decorator';

const EMAIL_LIST = /^[\s,]*([^\s,@]+@[^\s,@]+[\s,]*)*$/;
const HTTP_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());

/**
 * Every environment variable the gateway reads. Validated once at boot; an invalid value stops boot with
 * a message naming the variable. Values stay strings/numbers here; `buildAppConfig` shapes them.
 */
export class EnvironmentVariables {
  @Setting({
    group: 'Server',
    description:
      '`production`, `development` or `test`. Production refuses dev defaults and placeholder secrets.',
    default: 'production',
  })
  @IsOptional()
  @IsIn(['production', 'development', 'test'])
  NODE_ENV?: string;

  @Setting({ group: 'Server', description: 'TCP port the gateway listens on.', default: '8447' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @Setting({
    group: 'Server',
    description: 'Address to bind. Development binds loopback only.',
    default: '0.0.0.0 (production), 127.0.0.1 (development)',
  })
  @IsOptional()
  @IsString()
  HOST?: string;

  @Setting({
    group: 'Server',
    description:
      'External base URL of the gateway (scheme, host, optional port). Used for the OAuth callback, Origin/Host checks and cookie security. Required in production.',
    default: 'http://127.0.0.1:<PORT> in development',
  })
  @IsOptional()
  @Matches(HTTP_URL, { message: 'must be an http(s) URL such as https://gateway.example.com' })
  PUBLIC_URL?: string;

  @Setting({
    group: 'Server',
    description:
      'Number of reverse-proxy hops in front of the gateway whose X-Forwarded-For is trusted for the client IP. 0 trusts none (the socket address is used).',
    default: '0',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS?: number;

  @Setting({
    group: 'Server',
    description: 'pino log level: fatal, error, warn, info, debug, trace or silent.',
    default: 'info',
  })
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @Setting({
    group: 'Database',
    description:
      'PostgreSQL connection URL. When unset (development only) an embedded PostgreSQL server is started with its data under DATA_DIR.',
    sensitive: true,
  })
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Setting({
    group: 'Database',
    description: 'Folder for the embedded PostgreSQL cluster and other local state (development).',
    default: '.data',
  })
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @Setting({
    group: 'Database',
    description: 'Port of the embedded PostgreSQL server (development).',
    default: '5433',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT?: number;

  @Setting({
    group: 'Rack',
    description:
      'Base URL of the Convox rack API, e.g. https://api.rack.example.com. Required in production.',
  })
  @IsOptional()
  @Matches(HTTP_URL, { message: 'must be an http(s) URL such as https://api.rack.example.com' })
  RACK_URL?: string;

  @Setting({
    group: 'Rack',
    description: 'The rack password (API key). Never leaves the gateway. Required in production.',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  RACK_TOKEN?: string;

  @Setting({
    group: 'Rack',
    description:
      'Basic-auth user name sent to the rack (the rack ignores it; `jwt` would switch it to JWT mode).',
    default: 'convox',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'must be a simple user name' })
  RACK_USERNAME?: string;

  @Setting({
    group: 'Rack',
    description: 'Display name of the rack (audit events, CLI).',
    default: 'default',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, dots, dashes or underscores' })
  RACK_NAME?: string;

  @Setting({
    group: 'Rack',
    description: "PEM file with the CA certificate(s) to trust for the rack's TLS certificate.",
  })
  @IsOptional()
  @IsString()
  RACK_CA_FILE?: string;

  @Setting({
    group: 'Rack',
    description:
      "Pin the rack's TLS certificate: hex SHA-256 of its DER encoding (colons allowed). Pin the stable ingress certificate, not the pod's self-signed one, which changes on every restart.",
  })
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/, {
    message: 'must be a hex SHA-256 fingerprint (64 hex digits, colons allowed)',
  })
  RACK_TLS_PIN_SHA256?: string;

  @Setting({
    group: 'Rack',
    description:
      'Milliseconds to wait for the rack to connect and send response headers before answering 504. Streams already flowing are never cut.',
    default: '30000',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600000)
  RACK_TIMEOUT_MS?: number;

  @Setting({
    group: 'Google login',
    description: 'OAuth client id of the Google (or mock) OIDC client. Required in production.',
  })
  @IsOptional()
  @IsString()
  GOOGLE_CLIENT_ID?: string;

  @Setting({
    group: 'Google login',
    description: 'OAuth client secret. Required in production.',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  GOOGLE_CLIENT_SECRET?: string;

  @Setting({
    group: 'Google login',
    description:
      'OIDC issuer whose discovery document gives the endpoints. Development points it at the mock login server.',
    default: 'https://accounts.google.com',
  })
  @IsOptional()
  @Matches(HTTP_URL, { message: 'must be an http(s) URL' })
  GOOGLE_ISSUER?: string;

  @Setting({
    group: 'Google login',
    description:
      'Google Workspace domain whose accounts may log in (checked against both the `hd` claim and the email domain, case-insensitively). Empty allows any domain (still only known users).',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, { message: 'must be a domain name such as example.com' })
  GOOGLE_ALLOWED_DOMAIN?: string;

  @Setting({
    group: 'Sessions',
    description:
      'Secret used to sign login state and CSRF tokens. At least 32 characters; required in production.',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  SESSION_SECRET?: string;

  @Setting({
    group: 'Sessions',
    description: 'Browser sessions end after this many idle minutes.',
    default: '30',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10080)
  SESSION_WEB_IDLE_MINUTES?: number;

  @Setting({
    group: 'Sessions',
    description: 'Browser sessions end this many hours after login, however active.',
    default: '12',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  SESSION_WEB_ABSOLUTE_HOURS?: number;

  @Setting({ group: 'Sessions', description: 'CLI sessions end after this many idle days.', default: '30' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  SESSION_CLI_IDLE_DAYS?: number;

  @Setting({ group: 'Sessions', description: 'CLI sessions end this many days after login.', default: '90' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  SESSION_CLI_ABSOLUTE_DAYS?: number;

  @Setting({
    group: 'Sessions',
    description:
      'Login starts and CLI login starts allowed per minute per client IP, and rejected credentials allowed per minute both per client IP and per account (CLI login polling gets four times this, per IP and per pending login). Over the limit the caller gets 429 for a minute.',
    default: '30',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  AUTH_RATE_LIMIT_PER_MINUTE?: number;

  @Setting({
    group: 'Users',
    description:
      'Comma-separated emails given the admin role on first start (later edits through the API are kept).',
  })
  @IsOptional()
  @Matches(EMAIL_LIST, { message: 'must be a comma-separated list of email addresses' })
  ADMIN_USERS?: string;

  @Setting({ group: 'Users', description: 'Comma-separated emails given the deployer role on first start.' })
  @IsOptional()
  @Matches(EMAIL_LIST, { message: 'must be a comma-separated list of email addresses' })
  DEPLOYER_USERS?: string;

  @Setting({ group: 'Users', description: 'Comma-separated emails given the ops role on first start.' })
  @IsOptional()
  @Matches(EMAIL_LIST, { message: 'must be a comma-separated list of email addresses' })
  OPS_USERS?: string;

  @Setting({ group: 'Users', description: 'Comma-separated emails given the viewer role on first start.' })
  @IsOptional()
  @Matches(EMAIL_LIST, { message: 'must be a comma-separated list of email addresses' })
  VIEWER_USERS?: string;

  @Setting({
    group: 'Audit',
    description:
      'Key of the HMAC-SHA256 chain over audit events. At least 32 characters; required in production. Changing it breaks verification of older events.',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUDIT_HMAC_SECRET?: string;

  @Setting({
    group: 'Audit',
    description:
      'Audit events older than this many days are deleted by the daily retention job (a chain checkpoint keeps verification working).',
    default: '400',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(3650)
  AUDIT_RETENTION_DAYS?: number;

  @Setting({
    group: 'Audit',
    description:
      'Identical successful read events from the same actor within this many seconds are folded into one event with a count. 0 turns folding off.',
    default: '60',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  AUDIT_AGGREGATION_WINDOW_SECONDS?: number;

  @Setting({
    group: 'Audit',
    description:
      'Extra comma-separated field/header/query names whose values are redacted in audit events and logs.',
  })
  @IsOptional()
  @IsString()
  AUDIT_REDACT_EXTRA_KEYS?: string;

  @Setting({
    group: 'Audit',
    description:
      'File to which chain anchors (latest chain value and count) are appended periodically. Empty disables anchoring.',
  })
  @IsOptional()
  @IsString()
  AUDIT_ANCHOR_FILE?: string;

  @Setting({
    group: 'Audit',
    description: 'Write audit events to stdout as JSON lines too.',
    default: 'true',
  })
  @IsOptional()
  @Transform(toBoolean)
  AUDIT_STDOUT?: boolean;

  @Setting({
    group: 'Env protection',
    description:
      'Comma-separated env keys treated as secrets on every app, on top of the built-in name patterns (…_KEY, …_SECRET, …_TOKEN, …PASSWORD, DATABASE_URL …).',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_,\s*]*$/, { message: 'must be a comma-separated list of env keys' })
  CONVOX_SECRET_ENV_VARS?: string;

  @Setting({
    group: 'Env protection',
    description:
      'Comma-separated env keys that nobody may change through the gateway (per-app lists are stored in settings).',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_,\s*]*$/, { message: 'must be a comma-separated list of env keys' })
  CONVOX_PROTECTED_ENV_VARS?: string;

  @Setting({
    group: 'Development stack',
    description: 'Port of the mock Convox rack started by `npm start` in development.',
    default: '5443',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  MOCK_RACK_PORT?: number;

  @Setting({
    group: 'Development stack',
    description: 'Port of the mock Google login server started by `npm start` in development.',
    default: '3345',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  MOCK_OAUTH_PORT?: number;

  @Setting({
    group: 'Server',
    description:
      'Maximum JSON/form body size accepted by the admin API (the rack proxy streams bodies and has no limit).',
    default: '1mb',
  })
  @IsOptional()
  @Matches(/^\d+(kb|mb)$/, { message: 'must look like 512kb or 1mb' })
  @MaxLength(10)
  API_BODY_LIMIT?: string;
}
