import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { list as listTar } from 'tar';
import { dockerignoreToGitignore } from './dockerignore';
import { createSourceArchive, listContextFiles } from './source-archive';

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

describe('dockerignoreToGitignore', () => {
  it('anchors patterns at the root, keeps ** patterns and negations, drops comments', () => {
    expect(
      dockerignoreToGitignore('# comment\n\nnode_modules\n./tmp\n/dist\n**/*.log\n!keep.log\n*.md\n'),
    ).toEqual(['/node_modules', '/tmp', '/dist', '**/*.log', '!/keep.log', '/*.md']);
  });
});

describe('source archive', () => {
  let context: string;
  beforeEach(() => {
    context = mkdtempSync(join(tmpdir(), 'rgw-archive-spec-'));
    writeFiles(context, {
      '.dockerignore': 'node_modules\n*.md\n**/*.log\n!important.log\nsecrets\n',
      Dockerfile: 'FROM scratch\n',
      'convox.yml': 'services: {}\n',
      'README.md': 'root readme is ignored',
      'docs/guide.md': 'nested markdown is kept: docker patterns are anchored at the root',
      'node_modules/pkg/index.js': 'ignored',
      'src/app.js': 'console.log(1)',
      'src/debug.log': 'ignored at any depth',
      'important.log': 'kept by the negation',
      'secrets/key.pem': 'ignored directory',
    });
    symlinkSync('src/app.js', join(context, 'link.js'));
  });
  afterEach(() => rmSync(context, { recursive: true, force: true }));

  it('lists only the files .dockerignore lets through', () => {
    expect(listContextFiles(context)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'convox.yml',
      'docs/guide.md',
      'important.log',
      'link.js',
      'src/app.js',
    ]);
  });

  it('includes everything when there is no .dockerignore', () => {
    rmSync(join(context, '.dockerignore'));
    expect(listContextFiles(context)).toContain('node_modules/pkg/index.js');
  });

  it('writes a gzipped tar with exactly those entries and removes it on dispose', async () => {
    const archive = await createSourceArchive(context);
    const entries: string[] = [];
    await listTar({ file: archive.path, onReadEntry: (entry) => entries.push(entry.path) });
    expect(entries.sort()).toEqual(listContextFiles(context));
    expect(archive.fileCount).toBe(7);
    archive.dispose();
    expect(existsSync(archive.path)).toBe(false);
  });

  it('reports an unreadable directory clearly', async () => {
    await expect(createSourceArchive(join(context, 'missing'))).rejects.toThrow(
      /cannot read the build directory/,
    );
  });
});
