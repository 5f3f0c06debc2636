// The matrix's findings per service (the language server's portParity/matrix) and what the panel's details
// and the Services tree make of them: every finding of a service is there, once, with its quick fix's
// title, and the CLI reports the same findings for the same services.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import lib from '../dist/client-lib.js';
import { copyWorkspace, LspClient } from './lsp/harness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
let root;
let client;
let matrix;

before(async () => {
  root = copyWorkspace(join(ROOT, 'examples', 'shop'));
  client = new LspClient();
  await client.start(root);
  matrix = await client.request('portParity/matrix', {});
});

after(async () => {
  await client?.stop();
});

test('each service\'s row carries every finding the CLI reports for that service, with its location and fix title', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: root, encoding: 'utf8' });
  const cli = JSON.parse(r.stdout).findings.filter((x) => x.service);
  assert.ok(cli.length >= 10, `${cli.length} findings with a service`);
  const key = (service, rule, uri, line, message) => `${service} ${rule} ${uri}:${line} ${message}`;
  const fromCli = cli.map((x) => key(x.service, x.rule, pathToFileURL(join(root, x.file)).href, x.line - 1, x.message)).sort();
  const fromMatrix = matrix.rows.flatMap((row) => (row.findings ?? []).map((x) => key(row.service, x.rule, x.uri, x.line, x.message))).sort();
  assert.deepEqual(fromMatrix, fromCli);
  const probe = matrix.rows.find((row) => row.service === 'api').findings.find((x) => x.rule === 'probe-port');
  assert.equal(probe.severity, 'error');
  assert.match(probe.fix, /9100|8000/);
  assert.ok(probe.endLine > probe.line || probe.endCharacter > probe.character, 'the finding has a range');
});

test('the tree: services, their environments with the ports, every finding once, under its environment where it names one', () => {
  const tree = lib.treeOf(matrix);
  assert.deepEqual(tree.map((n) => n.service), matrix.rows.filter((r) => r.variant === undefined).map((r) => r.service));
  const orders = tree.find((n) => n.service === 'orders');
  const envs = orders.children.filter((c) => c.kind === 'environment');
  assert.deepEqual(envs.map((e) => `${e.cell.environment}: ${e.description}`), ['local: 8080 ≠ differs from 9000', 'staging: 8080 ≠ differs from 9000', 'production: 9000 ★ reference']);
  assert.match(lib.serviceDescription(orders), /^drift · /);
  for (const n of tree) {
    const row = matrix.rows.find((r) => r.service === n.service && r.folder === n.folder && r.variant === undefined);
    const shown = [...n.children.filter((c) => c.kind === 'finding'), ...n.children.filter((c) => c.kind === 'environment').flatMap((e) => e.children)].map((c) => c.finding);
    assert.equal(shown.length, (row.findings ?? []).length, n.service);
    assert.deepEqual(new Set(shown), new Set(row.findings ?? []), n.service);
    for (const e of n.children.filter((c) => c.kind === 'environment')) for (const f of e.children) assert.equal(f.finding.environment, e.cell.environment);
  }
  // postgres runs only locally: no nodes for the environments it is not in.
  assert.deepEqual(tree.find((n) => n.service === 'postgres').children.filter((c) => c.kind === 'environment').map((e) => e.cell.environment), ['local']);
  assert.deepEqual(lib.treeOf(undefined), []);
});

test('a panel\'s fix names a finding of the matrix it was sent, by service, folder and index; anything else names none', () => {
  const api = matrix.rows.find((r) => r.service === 'api');
  assert.equal(lib.findingOf(matrix, 'api', api.folder, 0), api.findings[0]);
  assert.equal(lib.findingOf(matrix, 'api', '/elsewhere', 0), undefined);
  assert.equal(lib.findingOf(matrix, 'api', api.folder, api.findings.length), undefined);
  assert.equal(lib.findingOf(matrix, 'api', api.folder, '0'), undefined);
  assert.equal(lib.findingOf(matrix, 'api', api.folder, -1), undefined);
  assert.equal(lib.findingOf(null, 'api', api.folder, 0), undefined);
});

test('the panel may open a finding\'s file (it is named in the matrix), not another', () => {
  const named = new lib.NamedLocations();
  named.update(matrix);
  const api = matrix.rows.find((r) => r.service === 'api');
  for (const x of api.findings) assert.ok(named.allows(x.uri), x.uri);
  assert.equal(named.allows(pathToFileURL(join(root, 'not-named.yaml')).href), false);
});
