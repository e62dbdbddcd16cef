// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import netbench from './eslint-rules/layering.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'test/fixtures/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Async load code: a forgotten promise is a lost request or an unhandled rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Only the process runner may spawn; only the CLI may exit.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'node:child_process', message: 'use core/process-runner' }] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'only cli/main exits' },
      ],
    },
  },
  {
    // The house's layering (docs/architecture.md, "Layers"): imports point down.
    files: ['src/**/*.ts'],
    plugins: { netbench },
    rules: { 'netbench/layering': 'error' },
  },
  {
    files: ['src/core/process-runner.ts', 'src/cli/main.ts', 'scripts/**', 'test/**'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
);
