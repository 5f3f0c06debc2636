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
