import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../docs/generated-docs';
import { renderRbacMarkdown } from './rbac-doc';

export const RBAC_DOC_FILE = 'docs/RBAC.md';

/** Rewrites docs/RBAC.md from the route table, the catalog and the roles. */
export function writeRbacDoc(root: string = repoRoot()): string {
  const file = join(root, RBAC_DOC_FILE);
  writeFileSync(file, renderRbacMarkdown());
  return file;
}

if (require.main === module) {
  console.log(`wrote ${writeRbacDoc()}`);
}
