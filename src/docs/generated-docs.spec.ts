import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCS, repoRoot } from './generated-docs';

describe('generated documents', () => {
  it.each(GENERATED_DOCS.map((doc) => [doc.file, doc.render] as const))(
    '%s matches the code it is generated from (run `npm run docs:generate`)',
    (file, render) => {
      expect(readFileSync(join(repoRoot(), file), 'utf8')).toBe(render());
    },
  );
});
