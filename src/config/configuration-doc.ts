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
  ];
  for (const group of groups) {
    lines.push(`## ${group}`, '', '| Variable | Default | Secret | Description |', '|---|---|---|---|');
    for (const s of settings.filter((item) => item.group === group)) {
      const fallback = s.default === undefined ? '—' : `\`${s.default}\``;
      lines.push(
        `| \`${s.name}\` | ${fallback} | ${s.sensitive ? 'yes' : ''} | ${s.description.replace(/\|/g, '\\|')} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
