// ESLint flat config: typescript-eslint recommended rules over src, test, scripts and viewer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'runs/**', 'datasets/prepared/**', 'viewer/dist/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The platform-free core must not touch the file system or Node built-ins: the viewer reuses it.
    files: [
      'src/geometry/**',
      'src/sparse/**',
      'src/models/**',
      'src/losses/**',
      'src/eval/**',
      'src/data/formats/**',
      'src/data/synth/**',
      'src/data/augment/**',
      'src/data/label-map.ts',
      'src/data/prepared/codec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'child_process'],
              message: 'platform-free module: no Node imports',
            },
          ],
        },
      ],
    },
  },
);
