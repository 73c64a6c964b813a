import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderConfigurationMarkdown } from '../config/configuration-doc';
import { renderRbacMarkdown } from '../rbac/rbac-doc';
import { renderSettingsMarkdown } from '../settings/settings-doc';

/** Documents generated from code; a unit test fails when a committed copy differs from its render. */
export const GENERATED_DOCS: { file: string; render: () => string }[] = [
  { file: 'docs/CONFIGURATION.md', render: renderConfigurationMarkdown },
  { file: 'docs/RBAC.md', render: renderRbacMarkdown },
  { file: 'docs/SETTINGS.md', render: renderSettingsMarkdown },
];

/** The repository root, whether this runs from src/ (tests) or dist/src/ (built scripts). */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nest-cli.json above ${from}`);
    dir = parent;
  }
  return dir;
}
