// The output channel stays quiet: opening a file changes nothing and logs nothing, and the line each
// evaluation writes is at LSP's Debug level, which VS Code's log output hides until asked for.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, copyWorkspace, uriOf } from './harness.mjs';

const SHOP = new URL('../../examples/shop', import.meta.url).pathname;
const SMALL = new URL('./workspace', import.meta.url).pathname;
const DEBUG = 5;
let root;
let other;
let client;

before(async () => {
  root = copyWorkspace(SHOP);
  other = copyWorkspace(SMALL);
  client = new LspClient();
  await client.start(root, { folders: [root, other] });
  await client.until(() => client.matrixEvents > 0, 'the first matrix');
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

test('each evaluation logs its line at Debug level; the index summary stays at Info', () => {
  const evaluated = client.logs.map((l, i) => [l, client.levels[i]]).filter(([l]) => l.startsWith('evaluated '));
  assert.ok(evaluated.length > 0, client.logs.join('\n'));
  assert.ok(evaluated.every(([, level]) => level === DEBUG), JSON.stringify(evaluated));
  const indexed = client.logs.findIndex((l) => l.startsWith('indexed '));
  assert.ok(indexed >= 0 && client.levels[indexed] < DEBUG);
});

test('opening files whose text is the disk\'s re-evaluates nothing and logs nothing', async () => {
  const logs = client.logs.length;
  for (const rel of ['deploy/staging/orders.yaml', 'docker-compose.yml', 'services/storefront/.env']) {
    client.notify('textDocument/didOpen', { textDocument: { uri: uriOf(root, rel), languageId: 'yaml', version: 1, text: readFileSync(join(root, rel), 'utf8') } });
  }
  // An edit in the other folder right after: one evaluation follows, and it evaluates the folders that
  // changed. Had the opens counted as changes, the shop folder would be evaluated with it.
  const uri = uriOf(other, 'deploy/staging/api.yaml');
  const text = readFileSync(join(other, 'deploy/staging/api.yaml'), 'utf8');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\n` }] });
  await client.until(() => client.logs.slice(logs).some((l) => l.startsWith(`evaluated ${other} `)), 'the evaluation of the edited folder');
  const lines = client.logs.slice(logs);
  assert.deepEqual(lines.filter((l) => l.startsWith(`evaluated ${root} `)), [], lines.join('\n'));
  assert.ok(lines.every((l) => l.startsWith('evaluated ')), lines.join('\n'));
});
