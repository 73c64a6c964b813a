import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCS, repoRoot } from './generated-docs';

/** `npm run docs:generate`: rewrites every generated document from the code it describes. */
for (const doc of GENERATED_DOCS) {
  writeFileSync(join(repoRoot(), doc.file), doc.render());
  console.log(`wrote ${doc.file}`);
}
