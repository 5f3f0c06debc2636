// The language server and chart archives: it reads them as the CLI does, shows a finding inside one on the
// .tgz (naming the file and line there), and reads an archive again when the watcher says it changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, uriOf } from './harness.mjs';
import { tgz, writeTree } from '../helm-tar.mjs';

const deployment = (port) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-redis\nspec:\n  selector:\n    matchLabels: {app: r}\n  template:\n    metadata:\n      labels: {app: r}\n    spec:\n      containers:\n        - name: r\n          ports:\n            - containerPort: ${port}\n`;
const service = (target) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-redis\nspec:\n  selector: {app: r}\n  ports:\n    - port: 6379\n      targetPort: ${target}\n`;
const redis = (target) => tgz({ 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n', 'redis/templates/d.yaml': deployment(6379), 'redis/templates/s.yaml': service(target) });

test('a finding inside a chart archive shows on the .tgz, and the server reads the archive again when it changes', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'pp-lsp-tgz-'));
  const files = { 'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n', 'app/values.yaml': '{}\n', 'app/charts/redis-1.0.0.tgz': redis(6380) };
  writeTree(root, files);
  const client = new LspClient();
  t.after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });
  await client.start(root);
  const archive = 'app/charts/redis-1.0.0.tgz';
  const d = await client.diagnosticsFor(archive, (x) => x.some((y) => y.code === 'service-target-port'));
  const stp = d.find((y) => y.code === 'service-target-port');
  assert.match(stp.message, /^redis\/templates\/s\.yaml:9: /);
  assert.deepEqual(stp.range.start, { line: 0, character: 0 });
  assert.ok(![...client.diagnostics.keys()].some((u) => u.includes('.tgz/')), 'nothing is published at a path inside the archive');
  writeFileSync(join(root, archive), redis(6379));
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, archive), type: 2 }] });
  await client.diagnosticsFor(archive, (x) => !x.some((y) => y.code === 'service-target-port'), 'the archive\'s finding to go');
  writeFileSync(join(root, archive), 'broken');
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(root, archive), type: 2 }] });
  const broken = await client.diagnosticsFor(archive, (x) => x.some((y) => y.code === 'skipped-source'), 'a note for the broken archive');
  assert.match(broken[0].message, /not a readable gzip archive/);
});

test('definition, references, hover links, related places and the panel never name a path inside a chart archive: the .tgz, line 1, with the entry said in the text', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'pp-lsp-tgz-'));
  // production, the reference, takes the port the archive's values.yaml gives (6379); staging sets its own.
  const staging = 'redis:\n  port: 6380\n';
  const archive = 'app/charts/redis-1.0.0.tgz';
  const sub = tgz({ 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n', 'redis/values.yaml': 'port: 6379\n', 'redis/templates/d.yaml': deployment('{{ .Values.port }}'), 'redis/templates/s.yaml': service(6379) });
  writeTree(root, { 'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n', 'app/values.yaml': '{}\n', 'app/values-staging.yaml': staging, 'app/values-production.yaml': 'other: 1\n', [archive]: sub });
  const client = new LspClient();
  t.after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });
  await client.start(root, { capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] } } }, initializationOptions: { hoverTables: true } });
  const insideUri = (u) => u.includes('.tgz/');
  const tgzUri = uriOf(root, archive);
  const d = await client.diagnosticsFor('app/values-staging.yaml', (x) => x.some((y) => y.code === 'port-parity'));
  const related = d.flatMap((y) => y.relatedInformation ?? []);
  assert.ok(!related.some((r) => insideUri(r.location.uri)), JSON.stringify(related));
  assert.ok(related.some((r) => r.location.uri === tgzUri && r.location.range.start.line === 0 && /^redis\/values\.yaml:1: /.test(r.message)), JSON.stringify(related));
  const m = await client.request('portParity/matrix', {});
  const cells = m.rows.flatMap((r) => r.cells).flatMap((c) => c.locations);
  assert.ok(!cells.some((l) => insideUri(l.uri)), `panel locations: ${JSON.stringify(cells)}`);
  assert.deepEqual(cells.filter((l) => l.uri === tgzUri), [{ uri: tgzUri, line: 0, character: 0, inside: 'redis/values.yaml:1' }]);
  const position = { line: 1, character: staging.split('\n')[1].indexOf('6380') + 1 };
  const textDocument = { uri: uriOf(root, 'app/values-staging.yaml') };
  const refs = await client.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } });
  assert.ok(!refs.some((r) => insideUri(r.uri)), JSON.stringify(refs));
  assert.deepEqual(refs.filter((r) => r.uri === tgzUri).map((r) => r.range), [{ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }], 'the archive once, at line 1');
  const h = await client.request('textDocument/hover', { textDocument, position });
  const links = [...h.contents.value.matchAll(/\]\(([^)]+)\)/g)].map((x) => x[1]);
  assert.ok(!links.some(insideUri), h.contents.value);
  assert.match(h.contents.value, new RegExp(`\\[app/charts/redis-1\\.0\\.0\\.tgz/redis/values\\.yaml:1\\]\\(${tgzUri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#L1\\)`));
  // Definition goes to the reference, production's port, which the archive's values.yaml gives: the .tgz, line 1.
  const defs = await client.request('textDocument/definition', { textDocument, position });
  assert.deepEqual(defs, [{ uri: tgzUri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
});
