import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { EMAIL_LIST, HTTP_URL } from './environment-formats';
import { Setting } from './setting.decorator';
import { RackEnvironment } from './rack-environment';

/** Google login, sessions and the users seeded at first start. Part of EnvironmentVariables, split by concern to keep each file small. */
export class IdentityEnvironment extends RackEnvironment {
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
    runtimeSetting: 'sessions.web_idle_timeout',
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
    runtimeSetting: 'sessions.web_absolute_timeout',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  SESSION_WEB_ABSOLUTE_HOURS?: number;

  @Setting({
    group: 'Sessions',
    description: 'CLI sessions end after this many idle days.',
    default: '30',
    runtimeSetting: 'sessions.cli_idle_timeout',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  SESSION_CLI_IDLE_DAYS?: number;

  @Setting({
    group: 'Sessions',
    description: 'CLI sessions end this many days after login.',
    default: '90',
    runtimeSetting: 'sessions.cli_absolute_timeout',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  SESSION_CLI_ABSOLUTE_DAYS?: number;

  @Setting({
    group: 'Sessions',
    description:
      'Login starts and CLI login starts allowed per minute per client IP; refused requests on authenticated routes (no credential, a bad or refused one) per client IP; rejected credentials of a real account per account (CLI login polling gets four times this, per IP and per pending login). Over the limit the caller gets 429 with Retry-After for a minute; valid credentials keep working from a blocked IP.',
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
      'Comma-separated emails created as admins while the database has no active admin (a fresh install); ' +
      'ignored once one exists, so a deleted admin never comes back. Later edits through the API are kept.',
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
}
