import type { SettingDefinition } from './setting-definition';
import { SETTINGS, settingVariable } from './settings-registry';

const cell = (text: string) => text.replace(/\|/g, '\\|');
const json = (definition: SettingDefinition) => `\`${JSON.stringify(definition.default)}\``;

function environmentOf(definition: SettingDefinition): string {
  const own = `\`${settingVariable(definition.key, definition.scope === 'app' ? '<APP>' : undefined)}\``;
  return definition.legacyVariable ? `${own}, then \`${definition.legacyVariable.name}\`` : own;
}

/** Renders docs/SETTINGS.md from the registry, so the docs cannot drift from what the API accepts. */
export function renderSettingsMarkdown(): string {
  const settings = SETTINGS as readonly SettingDefinition[];
  const lines = [
    '# Settings',
    '',
    '<!-- Generated from src/settings/definitions/*.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'Runtime settings are the policies admins change while the gateway runs. Each is declared once in code',
    '(key, scope, type and allowed values, default, whether it is sensitive) and has three layers; a read takes',
    'the first that is set, and every API answer says which one won (`source`):',
    '',
    '1. **database**: a value stored through the API (`PUT`); `DELETE` removes it.',
    '2. **environment**: `RGW_SETTING_<KEY>` for a global setting, `RGW_APP_<APP>_SETTING_<KEY>` per app.',
    '   `<KEY>` is the key upper-cased with dots as `_` (`proxy.allow_destructive_actions` →',
    '   `RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS`); `<APP>` is the app name upper-cased with `-` as `_`',
    '   (`my-app` → `MY_APP`; app names never contain `_`, so this cannot collide). Lists are a JSON array or',
    '   comma-separated (an entry containing a comma needs the JSON form); a map is JSON; booleans are',
    '   `true`/`false`/`1`/`0`/`on`/`off`. Older variables named below still work, after the `RGW_` one. An',
    '   unknown `RGW_SETTING_*`/`RGW_APP_*` variable or an invalid value stops the gateway at boot.',
    '3. **default**: the value below.',
    '',
    '## Changing them',
    '',
    '| method | path | permission |',
    '|---|---|---|',
    '| GET | `/api/v1/settings`, `/api/v1/settings/:key` | `gateway:settings:read` |',
    '| PUT, DELETE | `/api/v1/settings/:key` | `gateway:settings:update` |',
    '| GET | `/api/v1/apps/:app/settings`, `/api/v1/apps/:app/settings/:key` | `gateway:settings:read` |',
    '| PUT, DELETE | `/api/v1/apps/:app/settings/:key` | `gateway:settings:update` |',
    '',
    'A write is `{"value": …}` in the JSON form shown under Default. A value of the wrong type or out of range',
    'is refused with 400 `invalid_setting_value`, whose message names the key and the rule; an unknown key is',
    '404 `unknown_setting`; a per-app key on the global route (or the reverse) is 400 `wrong_setting_scope`; an',
    'app name that is not a Convox app name (lower-case letters, digits and `-`, starting with a letter, at most',
    '63 characters) is 400. A read lists `{key, scope, type, rule, value, source, environmentVariable, default,',
    'description, sensitive, updatedAt?, updatedBy?}`.',
    '',
    'Every `PUT` and `DELETE` is one audit event, `gateway:settings:update`: the setting before the change',
    "(in the event's details) and after it (in its outcome), each as `{setting, app?, value, source}`.",
    'Sensitive values are write-only: reads and audit events show `"[REDACTED]"` once one is set, because',
    'whoever needs the secret already has it and nobody else should get it from the gateway.',
    '',
    'Changes apply to the next request in every gateway process on the database: each process caches settings',
    'and drops the cache on a PostgreSQL NOTIFY sent in the writing transaction. While a process is not',
    'listening (its connection dropped) it reads the database on every use, and after it reconnects it drops',
    'its whole cache, since notices may have been missed. Nothing needs a restart.',
    '',
    '## What stays configuration',
    '',
    'A value every process must agree on from the moment it starts stays an environment variable',
    '(docs/CONFIGURATION.md): secrets and keys, URLs, ports, the rack connection, the Google client, the allowed',
    'Google domain, audit redaction names and stdout/anchor output, rate limits. The session timeouts, audit',
    'retention and read folding, and the global secret/protected env keys moved here; their variables',
    '(`SESSION_WEB_IDLE_MINUTES`, `SESSION_WEB_ABSOLUTE_HOURS`, `SESSION_CLI_IDLE_DAYS`,',
    '`SESSION_CLI_ABSOLUTE_DAYS`, `AUDIT_RETENTION_DAYS`, `AUDIT_AGGREGATION_WINDOW_SECONDS`,',
    '`CONVOX_SECRET_ENV_VARS`, `CONVOX_PROTECTED_ENV_VARS`) keep working as the environment layer. The',
    'per-app lists formerly stored as `secret_env_vars` / `protected_env_vars` were moved to',
    '`env.app_secret_keys` / `env.app_protected_keys` by a migration that kept their entries.',
    '',
  ];
  const groups = [...new Set(settings.map((s) => s.group))];
  for (const group of groups) {
    lines.push(
      `## ${group}`,
      '',
      '| Key | Scope | Value | Default | Environment | Read by | Description |',
      '|---|---|---|---|---|---|---|',
    );
    for (const s of settings.filter((item) => item.group === group)) {
      const description = `${s.description}${s.sensitive ? ' **Sensitive**: write-only.' : ''}`;
      lines.push(
        `| \`${s.key}\` | ${s.scope} | ${s.type.kind}: ${cell(s.type.rule)} | ${json(s)} | ${environmentOf(s)} | ${cell(s.readBy)} | ${cell(description)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
