import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './generated-docs';

interface Boundaries {
  elements: { type: string; pattern: string }[];
  layers: string[][];
}

const root = repoRoot();
const boundaries = JSON.parse(readFileSync(join(root, 'eslint.boundaries.json'), 'utf8')) as Boundaries;

/** The "Module layers" table of docs/ARCHITECTURE.md: layer number → elements and their folders. */
function documentedLayers(): Map<number, { elements: string[]; folders: string[] }> {
  const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
  const layers = new Map<number, { elements: string[]; folders: string[] }>();
  for (const line of doc.split('\n')) {
    const match = /^\| (\d+) \| ([^|]+) \| ([^|]+) \|$/.exec(line);
    if (!match) continue;
    layers.set(Number(match[1]), {
      elements: match[2].split(',').map((name) => name.trim()),
      folders: [...match[3].matchAll(/`([^`]+)`/g)].map((folder) => folder[1]),
    });
  }
  return layers;
}

/** Lints `source` as if it were the file `path`; the exit status and what eslint printed. */
function lintAs(path: string, source: string): { failed: boolean; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      [join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', path],
      { cwd: root, input: source, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return { failed: false, output };
  } catch (error) {
    const { stdout, status } = error as { stdout: string; status: number };
    return { failed: status !== 0, output: stdout };
  }
}

describe('module boundaries (eslint.boundaries.json ↔ docs/ARCHITECTURE.md)', () => {
  it('draws exactly the layers the lint rule enforces, in the same order', () => {
    const documented = documentedLayers();
    expect(documented.size).toBe(boundaries.layers.length);
    boundaries.layers.forEach((layer, index) => {
      expect(documented.get(index + 1)?.elements).toEqual(layer);
    });
  });

  it('names the folders each element is made of', () => {
    for (const [number, { elements, folders }] of documentedLayers()) {
      const patterns = boundaries.elements
        .filter((element) => elements.includes(element.type))
        .map((element) => element.pattern.replace(/\*\*$/, ''));
      expect({ layer: number, folders: folders.sort() }).toEqual({ layer: number, folders: patterns.sort() });
    }
  });

  it('classifies every element it layers, and layers every element it classifies', () => {
    const layered = boundaries.layers.flat();
    expect(new Set(layered).size).toBe(layered.length);
    expect([...new Set(boundaries.elements.map((element) => element.type))].sort()).toEqual(layered.sort());
  });

  it('refuses an import that points up a layer (rbac → proxy) and names the rule', () => {
    const probe =
      "import { RackForwarder } from '../proxy/http/rack-forwarder.service';\nexport const probe = RackForwarder;\n";
    const result = lintAs('src/rbac/boundary-probe.ts', probe);
    expect(result.failed).toBe(true);
    expect(result.output).toContain('boundaries/dependencies');
    expect(result.output).toContain('"rbac" to elements of type "proxy"');
  });

  it('refuses the old cycle: the kernel importing a feature module (access-control → auth)', () => {
    const probe = "import { AuthService } from '../auth/auth.service';\nexport const probe = AuthService;\n";
    expect(lintAs('src/access-control/boundary-probe.ts', probe).failed).toBe(true);
  });

  it('accepts an import that points down (rbac → access-control)', () => {
    const probe =
      "import type { Principal } from '../access-control/principal';\nexport type Probe = Principal;\n";
    expect(lintAs('src/rbac/boundary-probe.ts', probe)).toEqual({ failed: false, output: '' });
  });
});
