// A multi-root workspace: folders added to and removed from it while the server runs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, copyWorkspace, uriOf } from './harness.mjs';

const FIXTURE = new URL('./workspace', import.meta.url).pathname;
const staging = 'deploy/staging/api.yaml';
const roots = [];
let client;

after(async () => {
  if (client) assert.equal(await client.stop(), 0);
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const folder = (root) => ({ uri: pathToFileURL(root).href, name: root });
const hoverAt = async (root, rel, needle) => {
  const text = readFileSync(join(root, rel), 'utf8');
  const before = text.slice(0, text.indexOf(needle));
  const lines = before.split('\n');
  return client.request('textDocument/hover', { textDocument: { uri: uriOf(root, rel) }, position: { line: lines.length - 1, character: lines.at(-1).length } });
};

test('a folder added to the workspace is checked, and a removed one loses its diagnostics and its matrix rows', async () => {
  const a = copyWorkspace(FIXTURE);
  const b = copyWorkspace(FIXTURE);
  roots.push(a, b);
  client = new LspClient();
  const init = await client.start(a, { capabilities: { workspace: { configuration: true, workspaceFolders: true } } });
  assert.deepEqual(init.capabilities.workspace.workspaceFolders, { supported: true, changeNotifications: true });
  await client.diagnosticsFor(staging, (d) => d.some((x) => x.code === 'port-parity'));
  assert.equal(client.diagnostics.has(uriOf(b, staging)), false, 'nothing is known of a folder not yet in the workspace');

  // Added: indexed and checked like the first folder, its rows in the matrix.
  client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [folder(b)], removed: [] } });
  const inB = await client.until(() => client.diagnostics.get(uriOf(b, staging))?.find((x) => x.code === 'port-parity'), 'diagnostics in the added folder');
  assert.match(inB.message, /api listens on 8080 in staging but 4500 in production/);
  await client.until(() => client.lastMatrix?.rows.some((r) => r.folder === b), 'the added folder in the matrix');
  assert.ok(await hoverAt(b, staging, '8080'), 'hover answers in the added folder');

  // Removed: its diagnostics are withdrawn (an empty list), its rows leave the matrix, hover no longer answers there.
  client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder(a)] } });
  await client.until(() => client.diagnostics.get(uriOf(a, staging))?.length === 0, 'the removed folder\'s diagnostics withdrawn');
  await client.until(() => client.lastMatrix && !client.lastMatrix.rows.some((r) => r.folder === a), 'the removed folder out of the matrix');
  assert.equal(await hoverAt(a, staging, '8080'), null);
  assert.ok(client.diagnostics.get(uriOf(b, staging)).some((x) => x.code === 'port-parity'), 'the remaining folder keeps its diagnostics');

  // The same folder added twice is one folder; a URI that is not a file is skipped with a message.
  client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [folder(b), { uri: 'untitled:x', name: 'x' }], removed: [] } });
  await client.until(() => client.logs.some((l) => /Skipping workspace folder untitled:x/.test(l)) || /Skipping workspace folder untitled:x/.test(client.stderr), 'the skipped folder reported');
  const m = await client.request('portParity/matrix', {});
  const rowsOfB = m.rows.filter((r) => r.folder === b);
  assert.equal(new Set(rowsOfB.map((r) => r.service)).size, rowsOfB.length, 'each service of the folder once');
});
