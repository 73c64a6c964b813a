import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

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
    files: ['src/config/**', 'src/main.ts', 'src/dev/**', 'test/**', 'bench/**', 'client/**', 'src/**/*.spec.ts', 'src/**/*.cli.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
