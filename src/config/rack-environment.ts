import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { HTTP_URL } from './environment-formats';
import { Setting } from './setting.decorator';
import { ServerEnvironment } from './server-environment';

/** How the gateway reaches the rack, and which env keys it protects. Part of EnvironmentVariables, split by concern to keep each file small. */
export class RackEnvironment extends ServerEnvironment {
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
    group: 'Env protection',
    description:
      'Comma-separated env keys treated as secrets on every app, on top of the built-in name patterns (…_KEY, …_SECRET, …_TOKEN, …PASSWORD, DATABASE_URL …).',
    runtimeSetting: 'env.secret_keys',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_,\s*]*$/, { message: 'must be a comma-separated list of env keys' })
  CONVOX_SECRET_ENV_VARS?: string;

  @Setting({
    group: 'Env protection',
    description: 'Comma-separated env keys that nobody may change through the gateway, on every app.',
    runtimeSetting: 'env.protected_keys',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_,\s*]*$/, { message: 'must be a comma-separated list of env keys' })
  CONVOX_PROTECTED_ENV_VARS?: string;
}
