// Bundles the client, the server, the CLI and the core library for tests and the benchmark.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;

// `yaml` as its ES module build (the same code as its CommonJS one): bundled ES modules call each other
// directly, where a CommonJS module's exports are reached through a getter on every call.
const alias = { yaml: './node_modules/yaml/browser/index.js' };
const base = { define: { PORT_PARITY_VERSION: JSON.stringify(version) }, alias, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };

/** Bundles `code` under the name config.ts imports (typed by core/config-validate.d.ts); its requires of ajv's small runtime helpers resolve from here. */
const configValidate = (code) => ({ name: 'config-validate', setup(b) {
  b.onResolve({ filter: /^virtual:config-validate$/ }, (a) => ({ path: a.path, namespace: 'config-validate' }));
  b.onLoad({ filter: /.*/, namespace: 'config-validate' }, () => ({ contents: code, loader: 'js', resolveDir: process.cwd() }));
} });

/**
 * The `.portparity.yaml` validator as plain code: the schema's one declaration (core/config-schema.ts,
 * with the rule registry) compiled by ajv here, so the bundles run no `new Function` and carry no
 * schema compiler; a schema ajv's strict mode refuses fails the build.
 */
async function configValidator() {
  // The schema and the rules come from a first bundle, where the validator is not made yet (config.ts is in it: the format registry imports its file names).
  const notYet = configValidate('module.exports = () => { throw new Error("the config validator is made by esbuild.mjs"); };');
  await build({ ...base, plugins: [notYet], stdin: { contents: "export { AJV_OPTIONS, configSchema, EDITOR_KEYWORDS } from './config-schema'; export { RULES } from './rules';", resolveDir: 'server/src/core', loader: 'ts' }, outfile: 'dist/config-schema.js' });
  const { AJV_OPTIONS, configSchema, EDITOR_KEYWORDS, RULES } = createRequire(import.meta.url)('./dist/config-schema.js');
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  ajv.addVocabulary(EDITOR_KEYWORDS);
  return configValidate(standaloneCode(ajv, ajv.compile(configSchema(RULES))));
}

const common = { ...base, sourcemap: true, plugins: [await configValidator()] };
// What ships (the extension, its server, the CLI) is minified in whitespace and syntax, its identifiers
// kept: stack traces and logs name every function at no cost (esbuild's keepNames wraps each function
// made, about 12% more CPU on a charts check; mangled names would save another ~25% of the size).
// The tests' bundles (core, api, client-lib) stay plain.
const shipped = { ...common, minifyWhitespace: true, minifySyntax: true };
// The core first: the extension's file globs and document selector are the format registry's, taken
// from the built core so that the extension does not bundle the formats' readers.
await build({ ...common, entryPoints: ['server/src/core/index.ts'], outfile: 'dist/core.js' });
const core = createRequire(import.meta.url)('./dist/core.js');
const files = { PORT_PARITY_FILE_GLOB: JSON.stringify(core.watchGlob()), PORT_PARITY_DOCUMENT_SELECTOR: JSON.stringify(core.documentSelector()) };
await Promise.all([
  build({ ...shipped, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...shipped, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/api.ts'], outfile: 'dist/api.js' }),
  // The VS Code extension: `vscode` is the editor's own module, everything else is bundled.
  build({ ...shipped, define: { ...common.define, ...files }, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // The client's pure parts (status bar, report, contract, the panel's HTML shell), for the tests.
  build({ ...common, define: { ...common.define, ...files }, entryPoints: ['client/src/lib.ts'], outfile: 'dist/client-lib.js' }),
]);
