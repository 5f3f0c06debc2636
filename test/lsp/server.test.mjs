// The language server as an editor sees it: started from dist/server.js and spoken to over stdio.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, applyLspEdits, copyWorkspace, uriOf } from './harness.mjs';
import api from '../../dist/api.js';

const FIXTURE = new URL('./workspace', import.meta.url).pathname;
let root;
let client;

const staging = 'deploy/staging/api.yaml';
const production = 'deploy/production/api.yaml';

before(async () => {
  root = copyWorkspace(FIXTURE);
  client = new LspClient();
  const init = await client.start(root);
  assert.ok(init.capabilities.hoverProvider);
});

after(async () => {
  const code = await client.stop();
  rmSync(root, { recursive: true, force: true });
  assert.equal(code, 0, 'the server exits with 0 after shutdown and exit');
});

test('publishes diagnostics for files that are not open, with rule codes, exact ranges and related locations', async () => {
  const d = await client.diagnosticsFor(staging, (x) => x.length > 0);
  const parity = d.find((x) => x.code === 'port-parity');
  assert.ok(parity, JSON.stringify(d));
  assert.equal(parity.source, 'port-parity');
  assert.match(parity.codeDescription.href, /docs\/rules\/port-parity\.md$/);
  const line = readFileSync(join(root, staging), 'utf8').split('\n')[parity.range.start.line];
  assert.equal(line.slice(parity.range.start.character, parity.range.end.character), '8080');
  assert.ok(parity.relatedInformation.some((r) => r.location.uri === uriOf(root, production)));
  assert.match(parity.message, /api listens on 8080 in staging but 4500 in production/);
});

test('reports indexing progress with the number of files', async () => {
  await client.until(() => client.progress.some((p) => p.kind === 'end'), 'the end of indexing progress');
  assert.ok(client.progress.some((p) => p.kind === 'begin'));
  assert.ok(client.progress.some((p) => p.kind === 'report' && /Indexing \d+ files/.test(p.message)));
  assert.ok(client.progress.some((p) => p.kind === 'end'));
});

test('hover on a containerPort shows the port in every environment', async () => {
  const text = readFileSync(join(root, staging), 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('containerPort'));
  const h = await client.request('textDocument/hover', { textDocument: { uri: uriOf(root, staging) }, position: { line, character: lines[line].indexOf('8080') + 1 } });
  assert.ok(h, 'a hover');
  assert.match(h.contents.value, /\*\*api\*\*: container port \*\*8080\*\*/);
  assert.match(h.contents.value, /production \(reference\)/);
  assert.match(h.contents.value, /4500/);
  assert.match(h.contents.value, /staging ← this/);
});

test('hover on a host-published compose port says it is not internal', async () => {
  const lines = readFileSync(join(root, 'docker-compose.yml'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('18080'));
  const h = await client.request('textDocument/hover', { textDocument: { uri: uriOf(root, 'docker-compose.yml') }, position: { line, character: lines[line].indexOf('18080') + 2 } });
  assert.match(h.contents.value, /host-published port, not internal/);
});

test('references on a port list every place that carries the service port, across files', async () => {
  const lines = readFileSync(join(root, production), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('containerPort'));
  const refs = await client.request('textDocument/references', { textDocument: { uri: uriOf(root, production) }, position: { line, character: lines[line].indexOf('4500') }, context: { includeDeclaration: true } });
  const files = new Set(refs.map((r) => r.uri));
  for (const f of [staging, production, 'docker-compose.yml', 'services/api/Dockerfile']) assert.ok(files.has(uriOf(root, f)), `${f} in ${[...files].join(', ')}`);
});

test('definition jumps to the reference environment declaration', async () => {
  const lines = readFileSync(join(root, staging), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('containerPort'));
  const defs = await client.request('textDocument/definition', { textDocument: { uri: uriOf(root, staging) }, position: { line, character: lines[line].indexOf('8080') } });
  assert.equal(defs.length, 1);
  assert.equal(defs[0].uri, uriOf(root, production));
});

test('the matrix request returns services by environment', async () => {
  const m = await client.request('portParity/matrix', {});
  assert.deepEqual(m.environments, ['local', 'staging', 'production']);
  const api = m.rows.find((r) => r.service === 'api');
  assert.equal(api.drift, true);
  assert.deepEqual(api.cells.map((c) => c.status), ['differs', 'differs', 'reference']);
});

test('a quick-fix aligns staging, and the rest of the file stays byte-identical', async () => {
  const uri = uriOf(root, staging);
  const d = await client.diagnosticsFor(staging, (x) => x.some((y) => y.code === 'port-parity'));
  const diag = d.find((x) => x.code === 'port-parity');
  const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
  const fix = actions.find((a) => a.title.startsWith('Align api in staging to 4500'));
  assert.ok(fix, actions.map((a) => a.title).join('; '));
  assert.ok(actions.some((a) => a.title.startsWith('Align api in all environments to 4500')));
  const before = readFileSync(join(root, staging), 'utf8');
  const after = applyLspEdits(before, fix.edit.changes[uri]);
  assert.equal(after, before.replace('containerPort: 8080 #', 'containerPort: 4500 #'));
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: before } });
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: after }] });
  const now = await client.diagnosticsFor(staging, (x) => !x.some((y) => y.code === 'port-parity'), 'the port-parity diagnostic to go');
  assert.deepEqual(now.filter((x) => x.code === 'port-parity'), []);
  // Applying the same fix again changes nothing more: there is no finding left to fix.
  const again = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [] } });
  assert.ok(!again.some((a) => a.title.startsWith('Align api in staging')));
  client.notify('textDocument/didClose', { textDocument: { uri } });
  await client.diagnosticsFor(staging, (x) => x.some((y) => y.code === 'port-parity'), 'the disk text to count again after close');
});

test('a file created and deleted on disk updates the diagnostics', async () => {
  const rel = 'deploy/staging/worker.yaml';
  writeFileSync(join(root, rel), 'apiVersion: v1\nkind: Service\nmetadata: {name: apisvc2}\nspec:\n  selector: {app: api}\n  ports:\n    - port: 80\n      targetPort: 9999\n');
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, rel), type: 1 }] });
  const d = await client.diagnosticsFor(rel, (x) => x.some((y) => y.code === 'service-target-port'));
  assert.match(d[0].message, /targetPort 9999/);
  unlinkSync(join(root, rel));
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, rel), type: 3 }] });
  await client.diagnosticsFor(rel, (x) => x.length === 0, 'the diagnostics of a deleted file to clear');
});

test('.portparity.yaml changes apply live and its errors are diagnostics in that file', async () => {
  writeFileSync(join(root, '.portparity.yaml'), 'rules:\n  port-parity: sometimes\n');
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, '.portparity.yaml'), type: 1 }] });
  const bad = await client.diagnosticsFor('.portparity.yaml', (x) => x.length > 0);
  assert.match(bad[0].message, /rules\.port-parity must be error, warning, info or off/);
  assert.equal(bad[0].range.start.line, 1);
  writeFileSync(join(root, '.portparity.yaml'), 'rules:\n  port-parity: off\n');
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, '.portparity.yaml'), type: 2 }] });
  await client.diagnosticsFor('.portparity.yaml', (x) => x.length === 0, 'the config diagnostics to clear');
  await client.diagnosticsFor(staging, (x) => !x.some((y) => y.code === 'port-parity'), 'port-parity to be off');
  unlinkSync(join(root, '.portparity.yaml'));
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, '.portparity.yaml'), type: 3 }] });
  await client.diagnosticsFor(staging, (x) => x.some((y) => y.code === 'port-parity'), 'port-parity to be back');
});

test('half-typed YAML and a binary file leave the server answering', async () => {
  const uri = uriOf(root, 'deploy/staging/broken.yaml');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: [\n' } });
  const bin = uriOf(root, 'deploy/staging/blob.yaml');
  client.notify('textDocument/didOpen', { textDocument: { uri: bin, languageId: 'yaml', version: 1, text: 'a\u0000b\u0001' } });
  await client.nextEvaluation();
  const m = await client.request('portParity/matrix', {});
  assert.ok(m.rows.some((r) => r.service === 'api'));
  client.notify('textDocument/didClose', { textDocument: { uri } });
  client.notify('textDocument/didClose', { textDocument: { uri: bin } });
});

test('an edit storm converges to what a cold index of the final text reports', async () => {
  const uri = uriOf(root, staging);
  const base = readFileSync(join(root, staging), 'utf8');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: base } });
  let text = base;
  const evalsBefore = client.matrixEvents;
  for (let i = 0; i < 300; i++) {
    // The last value appears only once, so seeing it means the burst has been evaluated to its end.
    text = base.replace('containerPort: 8080', `containerPort: ${i === 299 ? 3999 : 3000 + (i % 97)}`);
    client.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text }] });
  }
  const expectedPort = 3999;
  let seenAt = 0;
  await client.diagnosticsFor(staging, (x) => x.some((y) => y.message.includes(`listens on ${expectedPort} in staging`)) && ((seenAt = client.matrixEvents), true), 'diagnostics for the last edit');
  // The matrix notification follows the last diagnostics of an evaluation: after it, every file is published.
  await client.until(() => client.matrixEvents > seenAt, 'the end of that evaluation');
  assert.ok(client.matrixEvents - evalsBefore <= 3, `one re-evaluation for the burst, not 300 (saw ${client.matrixEvents - evalsBefore})`);
  const files = api.readWorkspace(root).files.map((f) => (f.path === staging ? { ...f, text } : f));
  // Every file, not only the edited one: what the server shows equals a cold check of the final texts.
  const cold = api.analyze(files).findings.map((f) => `${uriOf(root, f.loc.file)} ${f.rule}@${f.loc.line}:${f.loc.col} ${f.message}`).sort();
  const live = [...client.diagnostics].flatMap(([u, ds]) => ds.map((d) => `${u} ${d.code}@${d.range.start.line}:${d.range.start.character} ${d.message}`)).sort();
  assert.deepEqual(live, cold);
  client.notify('textDocument/didClose', { textDocument: { uri } });
  await client.nextEvaluation();
});
