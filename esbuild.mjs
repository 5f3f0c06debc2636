// Bundles the client, the server, the CLI and the core library for tests and the benchmark.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;

// `yaml` as its ES module build (the same code as its CommonJS one): bundled ES modules call each other
// directly, where a CommonJS module's exports are reached through a getter on every call.
const alias = { yaml: './node_modules/yaml/browser/index.js' };
const common = { define: { PORT_PARITY_VERSION: JSON.stringify(version) }, alias, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
// The core first: the extension's file globs and document selector are the format registry's, taken
// from the built core so that the extension does not bundle the formats' readers.
await build({ ...common, entryPoints: ['server/src/core/index.ts'], outfile: 'dist/core.js' });
const core = createRequire(import.meta.url)('./dist/core.js');
const files = { PORT_PARITY_FILE_GLOB: JSON.stringify(core.watchGlob()), PORT_PARITY_DOCUMENT_SELECTOR: JSON.stringify(core.documentSelector()) };
await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/api.ts'], outfile: 'dist/api.js' }),
  // The VS Code extension: `vscode` is the editor's own module, everything else is bundled.
  build({ ...common, define: { ...common.define, ...files }, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // The client's pure parts (status bar, report, contract, the panel's HTML shell), for the tests.
  build({ ...common, define: { ...common.define, ...files }, entryPoints: ['client/src/lib.ts'], outfile: 'dist/client-lib.js' }),
]);
