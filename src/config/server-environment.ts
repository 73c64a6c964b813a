import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { HTTP_URL } from './environment-formats';
import { Setting } from './setting.decorator';

/** Server, database and development-stack settings. Part of EnvironmentVariables, split by concern to keep each file small. */
export class ServerEnvironment {
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
      'External base URL of the gateway (scheme, host, optional port). Used for the OAuth callback, Origin/Host checks and cookie security. Required in production, and https there (the session cookie is Secure; terminate TLS in front of the gateway, see docs/DEPLOY.md).',
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
    description:
      'pino log level: fatal, error, warn, info, debug, trace or silent. Lines are JSON (one object per ' +
      'line, request headers from an allow-list only), except in development with stdout on a terminal, ' +
      'where pino-pretty prints them for people.',
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
    group: 'Development stack',
    description:
      'Port of the mock SMTP server started by `npm start` in development (notification emails are printed, never relayed).',
    default: '2525',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  MOCK_SMTP_PORT?: number;

  @Setting({
    group: 'Development stack',
    description:
      'Port of the webhook sink started by `npm start` in development: it stands in for Slack and a signed-webhook receiver and lists what it received.',
    default: '5444',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  MOCK_WEBHOOK_PORT?: number;

  @Setting({
    group: 'Server',
    description:
      'On SIGTERM (or SIGINT) the gateway stops accepting connections and waits up to this many seconds ' +
      'for in-flight HTTP requests and live websockets (logs, exec, attach) to end. Websockets still open ' +
      'then get a close frame (1001, "gateway shutting down") and their audit events record the end; ' +
      'requests still running are cut. It exits 0 once the audit outcomes are written. Keep it below the ' +
      "orchestrator's kill timeout.",
    default: '10',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  SHUTDOWN_GRACE_SECONDS?: number;

  @Setting({
    group: 'Server',
    description:
      'Maximum JSON/form body size accepted by the admin API (larger: 413; JSON nested deeper than 32 ' +
      'levels: 400, checked before parsing). The rack proxy streams bodies and has no limit.',
    default: '1mb',
  })
  @IsOptional()
  @Matches(/^\d+(kb|mb)$/, { message: 'must look like 512kb or 1mb' })
  @MaxLength(10)
  API_BODY_LIMIT?: string;
}
