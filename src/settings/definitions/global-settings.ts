import { defineSetting } from '../setting-definition';
import { booleanType, durationType, envKeyPatternListType, integerType } from '../setting-types';

const MFA_READER = 'MFA enforcement on every request (src/mfa/mfa-policy.ts)';
const APPROVALS = 'deploy approvals: creating, deciding and expiring requests (src/approvals)';

/** Settings that apply to the whole gateway. Changes apply to the next request, in every process. */
export const GLOBAL_SETTINGS = [
  defineSetting({
    key: 'mfa.require_all_users',
    scope: 'global',
    group: 'MFA',
    type: booleanType(),
    default: true,
    description:
      'Every human user must enrol a second factor before using the gateway. Left at its default it is on in production and off in development and tests (a user who enrolled is always asked).',
    readBy: MFA_READER,
  }),
  defineSetting({
    key: 'mfa.step_up_window',
    scope: 'global',
    group: 'MFA',
    type: durationType('1m', '1h'),
    default: '10m',
    description: 'How long a fresh second-factor check covers sensitive actions before another is asked.',
    readBy: MFA_READER,
  }),
  defineSetting({
    key: 'mfa.trusted_device_ttl',
    scope: 'global',
    group: 'MFA',
    type: durationType('0s', '90d'),
    default: '30d',
    description:
      'How long a browser marked as trusted skips the second factor at login. 0s turns trusted devices off.',
    readBy: MFA_READER,
  }),
  defineSetting({
    key: 'sessions.web_idle_timeout',
    scope: 'global',
    group: 'Sessions',
    type: durationType('1m', '7d'),
    default: '30m',
    description:
      'A browser session unused this long ends. A shorter value applies to existing sessions at their next request; a longer one to new sessions.',
    readBy: 'session validation on every request',
    legacyVariable: { name: 'SESSION_WEB_IDLE_MINUTES', unit: 'm' },
  }),
  defineSetting({
    key: 'sessions.web_absolute_timeout',
    scope: 'global',
    group: 'Sessions',
    type: durationType('1h', '30d'),
    default: '12h',
    description:
      'A browser session ends this long after login, however active. A shorter value applies to existing sessions too (counted from their login).',
    readBy: 'session validation on every request',
    legacyVariable: { name: 'SESSION_WEB_ABSOLUTE_HOURS', unit: 'h' },
  }),
  defineSetting({
    key: 'sessions.cli_idle_timeout',
    scope: 'global',
    group: 'Sessions',
    type: durationType('1h', '365d'),
    default: '30d',
    description: 'A CLI session unused this long ends.',
    readBy: 'session validation on every request',
    legacyVariable: { name: 'SESSION_CLI_IDLE_DAYS', unit: 'd' },
  }),
  defineSetting({
    key: 'sessions.cli_absolute_timeout',
    scope: 'global',
    group: 'Sessions',
    type: durationType('1d', '365d'),
    default: '90d',
    description: 'A CLI session ends this long after login.',
    readBy: 'session validation on every request',
    legacyVariable: { name: 'SESSION_CLI_ABSOLUTE_DAYS', unit: 'd' },
  }),
  defineSetting({
    key: 'approvals.enabled',
    scope: 'global',
    group: 'Deploy approvals',
    type: booleanType(),
    default: true,
    description:
      'Deploy approvals are in force. Turning them off must not hand approval-gated tokens full deploy rights: they are then refused instead.',
    readBy: APPROVALS,
  }),
  defineSetting({
    key: 'approvals.approval_window',
    scope: 'global',
    group: 'Deploy approvals',
    type: durationType('1m', '24h'),
    default: '15m',
    description: 'How long an approved request can be used to deploy.',
    readBy: APPROVALS,
  }),
  defineSetting({
    key: 'approvals.pending_ttl',
    scope: 'global',
    group: 'Deploy approvals',
    type: durationType('5m', '30d'),
    default: '24h',
    description: 'A request nobody approves or rejects within this time expires.',
    readBy: APPROVALS,
  }),
  defineSetting({
    key: 'approvals.allow_self_approval',
    scope: 'global',
    group: 'Deploy approvals',
    type: booleanType(),
    default: false,
    description: 'Whether the person who requested a deploy (or owns the requesting token) may approve it.',
    readBy: APPROVALS,
  }),
  defineSetting({
    key: 'proxy.allow_destructive_actions',
    scope: 'global',
    group: 'Rack proxy',
    type: booleanType(),
    default: false,
    description:
      'Whether irreversible rack calls (delete an app, terminate an instance, delete a rack resource) are forwarded at all. Off by default: even an admin must turn it on first, and the change is audited.',
    readBy: 'rack proxy, before forwarding',
  }),
  defineSetting({
    key: 'audit.read_folding_window',
    scope: 'global',
    group: 'Audit',
    type: durationType('0s', '1h'),
    default: '1m',
    description:
      'Identical successful reads by the same actor within this window fold into one event with a count. 0s turns folding off.',
    readBy: 'audit log, on every event',
    legacyVariable: { name: 'AUDIT_AGGREGATION_WINDOW_SECONDS', unit: 's' },
  }),
  defineSetting({
    key: 'audit.retention_days',
    scope: 'global',
    group: 'Audit',
    type: integerType(30, 3650),
    default: 400,
    description:
      'Audit events older than this many days are deleted by the daily retention job (a checkpoint keeps the chain verifiable).',
    readBy: 'audit retention job, at each run',
    legacyVariable: { name: 'AUDIT_RETENTION_DAYS' },
  }),
  defineSetting({
    key: 'env.secret_keys',
    scope: 'global',
    group: 'Env protection',
    type: envKeyPatternListType(200),
    default: [],
    description:
      'Env keys treated as secrets on every app, on top of the built-in name patterns (…_KEY, …_SECRET, …_TOKEN, …PASSWORD, DATABASE_URL …).',
    readBy: 'rack proxy, env reads and writes',
    legacyVariable: { name: 'CONVOX_SECRET_ENV_VARS' },
  }),
  defineSetting({
    key: 'env.protected_keys',
    scope: 'global',
    group: 'Env protection',
    type: envKeyPatternListType(200),
    default: [],
    description: 'Env keys nobody may add, change or remove through the gateway, on every app.',
    readBy: 'rack proxy, env writes',
    legacyVariable: { name: 'CONVOX_PROTECTED_ENV_VARS' },
  }),
] as const;
