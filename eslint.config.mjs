// Lint: typescript-eslint's recommended set, and the core stays pure (no editor, LSP or fs imports).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/**', 'test/fixtures/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'],
        patterns: ['vscode-languageserver*', 'vscode-languageclient*', '**/lsp/**', '**/cli/**'],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
