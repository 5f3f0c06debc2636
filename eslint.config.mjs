// Lint: typescript-eslint's recommended set, and the layers stay apart: the core is pure (no editor, LSP,
// fs, process or host imports), the host layer knows neither the CLI nor the server, the server not the CLI.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/**', 'test/fixtures/**', '.bench/**', '.e2e-cache/**', 'test-results/**', '.vscode-test/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'],
        patterns: ['vscode-languageserver*', 'vscode-languageclient*', '**/lsp/**', '**/cli/**', '**/host/**'],
      }],
    },
  },
  {
    files: ['server/src/host/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['vscode-languageserver*', 'vscode-languageclient*', '**/lsp/**', '**/cli/**'] }] },
  },
  {
    files: ['server/src/lsp/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['**/cli/**'] }] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // CommonJS: the extension-host test suites (test/vscode, the e2e self-test extension).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-undef': 'error' },
  },
  {
    // The parity panel's webview script: a browser script under a strict CSP. Workspace strings reach
    // the DOM only through textContent/setAttribute, never as HTML.
    files: ['media/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', acquireVsCodeApi: 'readonly', URL: 'readonly', Node: 'readonly', HTMLElement: 'readonly', HTMLInputElement: 'readonly', KeyboardEvent: 'readonly', ResizeObserver: 'readonly', console: 'readonly' },
    },
    rules: {
      'no-undef': 'error',
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Build the DOM with textContent: workspace strings must never be parsed as HTML.' },
        { property: 'outerHTML', message: 'Build the DOM with textContent: workspace strings must never be parsed as HTML.' },
        { property: 'insertAdjacentHTML', message: 'Build the DOM with textContent: workspace strings must never be parsed as HTML.' },
        { object: 'document', property: 'write', message: 'Build the DOM with textContent.' },
        { property: 'createContextualFragment', message: 'Build the DOM with textContent.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
);
