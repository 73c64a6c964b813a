import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../docs/generated-docs';
import { CONVOX_ROUTES } from './convox-routes';
import { PERMISSION_CATALOG } from './permission-catalog';
import { renderRbacMarkdown } from './rbac-doc';

const RBAC_DOC_FILE = 'docs/RBAC.md';

describe('docs/RBAC.md', () => {
  const rendered = renderRbacMarkdown();

  it('matches the route table, roles and catalog (run `npm run docs:generate`)', () => {
    const committed = readFileSync(join(repoRoot(), RBAC_DOC_FILE), 'utf8');
    if (committed !== rendered) {
      throw new Error(`${RBAC_DOC_FILE} is out of date: run \`npm run docs:generate\``);
    }
  });

  it('lists every route and every permission', () => {
    for (const route of CONVOX_ROUTES)
      expect(rendered).toContain(`| ${route.method} | \`${route.pattern}\` |`);
    for (const { name } of PERMISSION_CATALOG) expect(rendered).toContain(`| \`${name}\` |`);
  });

  it('answers who may call POST /apps/:app/releases', () => {
    expect(rendered).toContain(
      '| POST | `/apps/:app/releases` | `convox:release:create` | request | yes | DA | Create a release (env set/unset) |',
    );
  });
});
