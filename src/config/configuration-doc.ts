import { registeredSettings } from './setting.decorator';
import './environment-variables';

/** Renders docs/CONFIGURATION.md from the @Setting descriptions, so the docs cannot drift from the code. */
export function renderConfigurationMarkdown(): string {
  const settings = registeredSettings();
  const groups = [...new Set(settings.map((s) => s.group))];
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from src/config/environment-variables.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'Every setting is an environment variable, read and validated once at boot. Any invalid value stops the',
    'gateway with one message listing each variable that is wrong. Empty values count as unset.',
    'With `NODE_ENV=production` (the default for `npm run start:prod` and the Docker image) the gateway also',
    'requires real credentials and refuses placeholder secrets. `npm start` with nothing configured runs the',
    'development stack (embedded PostgreSQL, mock rack, mock Google login) and fills the dev values itself.',
    '',
    'Policies that admins change while the gateway runs are runtime settings instead ([SETTINGS.md](SETTINGS.md)):',
    'each can be overridden with `RGW_SETTING_<KEY>` (or `RGW_APP_<APP>_SETTING_<KEY>` per app), and the',
    'variables below that name a setting feed the environment layer of the setting they name. Either way a value',
    'stored through the settings API wins, and no restart is needed to change it.',
    '',
  ];
  for (const group of groups) {
    lines.push(`## ${group}`, '', '| Variable | Default | Secret | Description |', '|---|---|---|---|');
    for (const s of settings.filter((item) => item.group === group)) {
      const fallback = s.default === undefined ? '—' : `\`${s.default}\``;
      const setting = s.runtimeSetting ? ` Environment layer of the setting \`${s.runtimeSetting}\`.` : '';
      lines.push(
        `| \`${s.name}\` | ${fallback} | ${s.sensitive ? 'yes' : ''} | ${s.description.replace(/\|/g, '\\|')}${setting} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
