import { readFileSync } from 'node:fs';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Module boundaries (one list, shared with docs/ARCHITECTURE.md's diagram; a unit test checks they agree):
// an element may import only elements of lower layers.
const architecture = JSON.parse(readFileSync(new URL('./eslint.boundaries.json', import.meta.url), 'utf8'));
const layerPolicies = architecture.layers.flatMap((layer, index) =>
  layer.map((type) => ({
    from: { element: { type } },
    allow: { to: { element: { types: { anyOf: architecture.layers.slice(0, index).flat() } } } },
  })),
);

export default tseslint.config(
  { ignores: ['dist/**', 'client/cli/dist/**', 'client/web/dist/**', 'client/web/src/api/openapi.d.ts', 'node_modules/**', '.data/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Settings are read in src/config only; everything else receives a typed AppConfig.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/config (AppConfig).' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    // Tests and entry points (main.ts, app.*.ts, *.cli.ts: they assemble everything) are outside the layers.
    ignores: ['src/**/*.spec.ts', 'src/**/testing/**', 'src/**/*.cli.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': architecture.elements.map(({ type, pattern }) => ({ type, pattern, partialMatch: false })),
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': [2, { default: 'disallow', policies: layerPolicies }],
    },
  },
  {
    files: ['src/config/**', 'src/main.ts', 'src/dev/**', 'test/**', 'bench/**', 'client/**', 'src/**/*.spec.ts', 'src/**/*.cli.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
