// "Run Locally with Production Ports" over the language server (portParity/localOverride, as
// `port-parity local`): the plan shows the override's text without writing; a write writes exactly that
// text, only as an override port-parity planned, never over a file it did not write.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from './harness.mjs';

let client;
let root;

after(async () => {
  if (client) assert.equal(await client.stop(), 0);
  if (root) rmSync(root, { recursive: true, force: true });
});

test('portParity/localOverride plans the override, then writes only the text shown', async () => {
  root = mkdtempSync(join(tmpdir(), 'pp-lsp-local-'));
  writeFileSync(join(root, 'compose.yaml'), 'services:\n  api:\n    image: api\n    ports: ["8080:3000"]\n    environment:\n      PORT: "3000"\n');
  mkdirSync(join(root, 'deploy/production'), { recursive: true });
  writeFileSync(join(root, 'deploy/production/api.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api\n          ports: [{containerPort: 8000}]\n');
  client = new LspClient();
  await client.start(root);
  await client.until(() => client.lastMatrix?.rows.some((r) => r.service === 'api'), 'the matrix with api');

  const plan = await client.request('portParity/localOverride', { env: 'production' });
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(plan.files.map((f) => [f.path, f.services]), [['compose.override.production.yaml', ['api']]]);
  assert.match(plan.files[0].text, /ports: !override \["8080:8000"\]/);
  assert.equal(existsSync(join(root, 'compose.override.production.yaml')), false, 'planning writes nothing');

  const bad = await client.request('portParity/localOverride', { env: 'production', write: [{ path: 'compose.yaml', text: 'services: {}\n' }] });
  assert.match(bad.errors[0], /not an override port-parity local planned/);
  assert.equal(readFileSync(join(root, 'compose.yaml'), 'utf8').includes('8080:3000'), true);

  const done = await client.request('portParity/localOverride', { env: 'production', write: plan.files.map((f) => ({ path: f.path, text: f.text })) });
  assert.deepEqual(done.errors, []);
  assert.equal(readFileSync(join(root, 'compose.override.production.yaml'), 'utf8'), plan.files[0].text);

  writeFileSync(join(root, 'compose.override.production.yaml'), '# mine\nservices: {}\n');
  const refused = await client.request('portParity/localOverride', { env: 'production', write: plan.files.map((f) => ({ path: f.path, text: f.text })) });
  assert.match(refused.errors[0], /port-parity did not write it/);
  assert.equal(readFileSync(join(root, 'compose.override.production.yaml'), 'utf8'), '# mine\nservices: {}\n');
  const unknown = await client.request('portParity/localOverride', { env: 'staging' });
  assert.match(unknown.errors[0], /no environment named staging/);
});
