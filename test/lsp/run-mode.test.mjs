// portParity.run: "onSave" checks what is saved, as ESLint's eslint.run does: an unsaved edit changes no
// diagnostic until it is saved; back to "onType", the unsaved text counts at once.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, copyWorkspace, uriOf } from './harness.mjs';

const FIXTURE = new URL('./workspace', import.meta.url).pathname;
const staging = 'deploy/staging/api.yaml';
const compose = 'docker-compose.yml';
let root;
let client;

before(async () => {
  root = copyWorkspace(FIXTURE);
  client = new LspClient();
  const init = await client.start(root, { configuration: { run: 'onSave' } });
  assert.deepEqual(init.capabilities.textDocumentSync.save, { includeText: false });
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

const drifts = (d) => d.some((x) => x.code === 'port-parity');

test('on save: an unsaved fix changes nothing; saving it clears the drift', async () => {
  await client.diagnosticsFor(staging, drifts, 'the drift in staging');
  const uri = uriOf(root, staging);
  const text = readFileSync(join(root, staging), 'utf8');
  const fixed = text.replace('containerPort: 8080', 'containerPort: 4500');
  assert.notEqual(fixed, text);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  // Another file of the folder saved: the folder is checked again, with staging's saved text.
  const other = uriOf(root, compose);
  const composeText = `${readFileSync(join(root, compose), 'utf8')}# saved\n`;
  writeFileSync(join(root, compose), composeText);
  client.notify('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text: composeText } });
  const n = client.matrixEvents;
  client.notify('textDocument/didSave', { textDocument: { uri: other } });
  await client.until(() => client.matrixEvents > n, 'the check after the save');
  assert.ok(drifts(client.diagnostics.get(uri)), 'the unsaved fix is not checked');
  // Saved: checked.
  writeFileSync(join(root, staging), fixed);
  client.notify('textDocument/didSave', { textDocument: { uri } });
  await client.diagnosticsFor(staging, (d) => !drifts(d), 'the drift to go once saved');
});

test('back to on type: the unsaved text counts at once', async () => {
  const uri = uriOf(root, staging);
  const text = readFileSync(join(root, staging), 'utf8');
  client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: text.replace('containerPort: 4500', 'containerPort: 8080') }] });
  client.configuration = { run: 'onType' };
  client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.diagnosticsFor(staging, drifts, 'the unsaved drift, checked on type');
});
