// The format registry is the one table of the files Port Parity reads: the core's file kinds, the
// language server's watcher, the extension's document selector and its activation events all come from
// it, and may not drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import core from '../../dist/core.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { FORMATS, kindOfPath, watchGlob, activationEvents, documentSelector, readersOf } = core;

test('file kinds by name: the names the editors watch and the core reads agree (the globs that once disagreed)', () => {
  const cases = {
    'Dockerfile': 'dockerfile', 'api/Dockerfile.prod': 'dockerfile', 'api.Dockerfile': 'dockerfile', 'api.dockerfile': 'dockerfile',
    'Containerfile': 'dockerfile', 'Containerfile.dev': 'dockerfile',
    'compose.yaml': 'compose', 'docker-compose.override.yml': 'compose', 'docker-compose-quickstart.yml': 'compose', 'compose.profiling.yaml': 'compose',
    '.env': 'dotenv', '.env.production': 'dotenv', 'config/app.env': 'dotenv', '.env.example': undefined, '.env.local.sample': undefined,
    'overlays/prod/kustomization.yaml': 'yaml', 'overlays/prod/Kustomization': 'yaml', 'chart/Chart.yaml': 'yaml', 'k8s/api.yml': 'yaml',
    'chart/templates/_helpers.tpl': 'helm-helpers', 'docs/notes.tpl': undefined, 'README.md': undefined, 'package.json': undefined,
  };
  for (const [path, kind] of Object.entries(cases)) assert.equal(kindOfPath(path), kind, path);
});

test('every file name a format declares is read as that format\'s kind (or an earlier, more specific one), and watched', () => {
  const watched = picomatch(watchGlob(), { dot: true });
  for (const f of FORMATS) {
    for (const set of f.reads) {
      for (const glob of set.files) {
        assert.ok(!/[/{}]/.test(glob), `${f.id}: ${glob} has no slash and no braces (VS Code cannot nest braces)`);
        const name = glob.replace(/\*/g, 'x');
        const path = set.within ? `chart/templates/${name}` : `svc/${name}`;
        const kind = kindOfPath(path);
        assert.ok(kind !== undefined, `${f.id}: ${path} is read`);
        const earlier = FORMATS.slice(0, FORMATS.indexOf(f) + 1).flatMap((g) => g.reads.map((s) => s.kind));
        assert.ok(kind === set.kind || earlier.includes(kind), `${f.id}: ${path} is ${kind}`);
        assert.ok(watched(path), `${path} is watched by ${watchGlob()}`);
      }
    }
  }
});

test('the editor side is generated from the registry: package.json activation, the bundled extension\'s globs', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.activationEvents, activationEvents(), 'package.json is out of date: node scripts/contributions.mjs');
  const ext = readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8');
  assert.ok(ext.includes(JSON.stringify(watchGlob())), 'the extension watches the registry\'s files');
  for (const s of documentSelector()) assert.ok(ext.includes(JSON.stringify(s.language ?? s.pattern)), `the extension's document selector has ${JSON.stringify(s)}`);
  for (const f of FORMATS) for (const l of f.languages ?? []) assert.ok(pkg.activationEvents.includes(`onLanguage:${l}`), l);
  const server = ['server/src/lsp/server.ts', 'server/src/lsp/features/watching.ts', 'client/src/extension.ts'].map((p) => readFileSync(join(ROOT, p), 'utf8')).join('\n');
  assert.ok(!/\*\*\/\{Dockerfile/.test(server), 'no hand-written glob left in the server or the extension');
});

test('plug-ins of a kind are asked in registry order, sniffers last (Compose reads a YAML file only if no Kubernetes document is in it)', () => {
  assert.deepEqual(readersOf('yaml').map((f) => f.id), ['kustomize', 'gitops', 'helm', 'kubernetes', 'compose']);
  assert.deepEqual(readersOf('dockerfile').map((f) => f.id), ['dockerfile']);
  for (const f of FORMATS) {
    assert.match(f.id, /^[a-z][a-z0-9-]*$/);
    assert.ok(['file', 'chart × environment', 'overlay × environment'].includes(f.units), f.id);
  }
});
