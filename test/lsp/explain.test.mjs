// Explain in the editor (portParity/explain, as `port-parity explain`) and the files the server does not
// read: a skipped-source diagnostic for what looks like deployment configuration, nothing for the rest.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LspClient, uriOf } from './harness.mjs';

let client;
let root;

after(async () => {
  if (client) assert.equal(await client.stop(), 0);
  if (root) rmSync(root, { recursive: true, force: true });
});

const FILES = {
  'compose.yaml': 'services:\n  api:\n    build: .\n    ports: ["8080:8080"]\n',
  Dockerfile: 'FROM node\nEXPOSE 8080\n',
  'docker-stack.yml': 'services:\n  web:\n    image: web\n    ports: ["80:80"]\n',
  '.github/workflows/ci.yml': 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
  '.portparity.yaml': 'maxFileSize: 200\n',
  'k8s/big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: "${'x'.repeat(300)}"\n`,
};

test('portParity/explain answers a service and the file list; what is not read is a diagnostic only where it looks like deployment configuration', async () => {
  root = mkdtempSync(join(tmpdir(), 'pp-lsp-explain-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  symlinkSync(join(root, 'compose.yaml'), join(root, 'linked.yaml'));
  client = new LspClient();
  await client.start(root);
  await client.until(() => client.lastMatrix?.rows.some((r) => r.service === 'api'), 'the matrix with api');

  const api = await client.request('portParity/explain', { service: 'api' });
  assert.match(api.markdown, /^# `api`\n/);
  assert.match(api.markdown, /^## local \(reference\): ports 8080$/m);
  assert.match(api.markdown, /^- `compose\.yaml`: /m);
  assert.match(api.markdown, /^- `Dockerfile`: /m);
  assert.equal(await client.request('portParity/explain', { service: 'nope' }), null);
  assert.equal(await client.request('portParity/explain', { service: 'api', folder: '/no/such/folder' }), null);

  const files = await client.request('portParity/explain', { files: true });
  assert.match(files.markdown, /^## Files that make up services or are checked \(3\)$/m);
  assert.match(files.markdown, /^- `\.github\/workflows\/ci\.yml`: YAML that is neither Kubernetes nor Compose$/m);
  assert.match(files.markdown, /^- `k8s\/big\.yaml`: k8s\/big\.yaml is not read \(larger than 200 bytes\)/m);
  // A link is listed, never a diagnostic (opening it would follow the link).
  assert.match(files.markdown, /^- `linked\.yaml`: a symbolic link to compose\.yaml, read there: not followed$/m);
  assert.equal(client.diagnostics.get(uriOf(root, 'linked.yaml')), undefined);

  // Diagnostics: published with the evaluation the matrix followed.
  const stack = client.diagnostics.get(uriOf(root, 'docker-stack.yml')) ?? [];
  assert.deepEqual(stack.map((d) => [d.code, d.range.start.line]), [['skipped-source', 0]]);
  const big = client.diagnostics.get(uriOf(root, 'k8s/big.yaml')) ?? [];
  assert.deepEqual(big.map((d) => [d.code, d.range.start.line, d.severity]), [['skipped-source', 0, 3]]);
  assert.deepEqual(client.diagnostics.get(uriOf(root, '.github/workflows/ci.yml')) ?? [], []);
  // The log says it once per folder, not once per file.
  assert.equal(client.logs.filter((l) => /not read/.test(l)).length, 1, client.logs.join('\n'));
});
