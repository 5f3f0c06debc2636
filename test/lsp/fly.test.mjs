// A format added through the registry alone reaches every editor feature: fly.toml gets diagnostics,
// hovers on its ports and the quick fix, and an edit in the editor re-checks it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, copyWorkspace, uriOf } from './harness.mjs';

const FIXTURE = new URL('../fixtures/unserved-port/invalid-fly-internal-port-vs-env-port', import.meta.url).pathname;
let client;
let root;

after(async () => {
  if (client) assert.equal(await client.stop(), 0);
  if (root) rmSync(root, { recursive: true, force: true });
});

const positionOf = (text, needle) => {
  const lines = text.slice(0, text.indexOf(needle)).split('\n');
  return { line: lines.length - 1, character: lines.at(-1).length };
};

test('fly.toml in the editor: the unserved port underlined, its hover, the fix, and a re-check after an edit', async () => {
  root = copyWorkspace(FIXTURE);
  client = new LspClient();
  await client.start(root, { capabilities: { workspace: { configuration: true } } });
  const uri = uriOf(root, 'fly.toml');
  const text = readFileSync(join(root, 'fly.toml'), 'utf8');
  const [diag] = await client.diagnosticsFor('fly.toml', (d) => d.some((x) => x.code === 'unserved-port'));
  assert.equal(diag.code, 'unserved-port');
  assert.deepEqual(diag.range.start, positionOf(text, '8080'), 'the internal_port token itself');
  assert.match(diag.message, /internal_port is 8080 but notice-board listens on 3000/);

  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '8080') });
  assert.match(hover.contents.value, /notice-board.*fly\.toml http\\_service\.internal\\_port \*\*8080\*\* \(production\)/s);

  const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
  const fix = actions.find((a) => /Change fly\.toml http_service\.internal_port to 3000/.test(a.title));
  assert.ok(fix, `the fix is offered: ${actions.map((a) => a.title).join(' | ')}`);

  const fixed = text.replace('internal_port = 8080', 'internal_port = 3000');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  await client.diagnosticsFor('fly.toml', (d) => d.length === 0, 'the finding gone after the edit');
});
