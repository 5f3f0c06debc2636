// The editor's "align" (issue 15, point 6): one workspace edit moves the service's ports and the references
// the move would leave on the old port, so applying it leaves nothing for the next align to change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, applyLspEdits, copyWorkspace, uriOf } from '../lsp/harness.mjs';
import api from '../../dist/api.js';

const SHOP = new URL('../../examples/shop', import.meta.url).pathname;
const COMPOSE = 'docker-compose.yml';
let root;

before(() => {
  root = copyWorkspace(SHOP);
});

after(() => rmSync(root, { recursive: true, force: true }));

/** The changes of a WorkspaceEdit as workspace-relative path → edits. */
const byPath = (edit) => Object.fromEntries(Object.entries(edit.changes).map(([u, e]) => [u.slice(uriOf(root, '').length + 1), e]));

async function withClient(opts, body) {
  const client = new LspClient();
  await client.start(root, opts);
  try {
    return await body(client);
  } finally {
    await client.stop();
  }
}

/** The "Align orders in all environments" code action on the compose file's port-parity diagnostic. */
async function alignAction(client) {
  const d = await client.diagnosticsFor(COMPOSE, (x) => x.some((y) => y.code === 'port-parity' && y.message.startsWith('orders ')));
  const diag = d.find((y) => y.code === 'port-parity' && y.message.startsWith('orders '));
  const actions = await client.request('textDocument/codeAction', { textDocument: { uri: uriOf(root, COMPOSE) }, range: diag.range, context: { diagnostics: [diag] } });
  const a = actions.find((x) => x.title.startsWith('Align orders in all environments to 9000'));
  assert.ok(a, actions.map((x) => x.title).join('; '));
  return a;
}

function assertIncludesOrdersUrl(edit) {
  const changes = byPath(edit);
  const compose = readFileSync(join(root, COMPOSE), 'utf8');
  const after = applyLspEdits(compose, changes[COMPOSE]);
  assert.match(compose, /ORDERS_URL: http:\/\/orders:8080\n/);
  assert.match(after, /ORDERS_URL: http:\/\/orders:9000\n/);
  assert.ok(changes['deploy/staging/orders.yaml'].length > 0);
  return changes;
}

test('the align code action includes the dependent reference (ORDERS_URL) in the same edit, and applied it leaves nothing to align', async () => {
  const changes = await withClient({}, async (client) => {
    const a = await alignAction(client);
    assert.match(a.title, /with 1 dependent edit$/);
    const viaCommand = await client.request('portParity.alignService', { folder: root, service: 'orders' });
    assert.deepEqual(byPath(viaCommand.edit ?? viaCommand), byPath(a.edit));
    return assertIncludesOrdersUrl(a.edit);
  });
  for (const [rel, edits] of Object.entries(changes)) writeFileSync(join(root, rel), applyLspEdits(readFileSync(join(root, rel), 'utf8'), edits));
  const ws = api.readWorkspace(root);
  const findings = api.analyze(ws.files, ws.config).findings;
  assert.deepEqual(findings.filter((f) => f.rule === 'reference-port' && f.loc.file === COMPOSE).map((f) => f.message), []);
  assert.deepEqual(findings.filter((f) => f.rule === 'port-parity' && f.service === 'orders').map((f) => f.message), []);
});

test('a client that resolves code actions gets the align edit on resolve, with the dependent reference', async () => {
  root = copyWorkspace(SHOP);
  const capabilities = { textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { resolveSupport: { properties: ['edit'] } } } };
  await withClient({ capabilities }, async (client) => {
    const a = await alignAction(client);
    assert.equal(a.edit, undefined);
    const resolved = await client.request('codeAction/resolve', a);
    assertIncludesOrdersUrl(resolved.edit);
  });
});

test('dependent edits are mapped back to the original text when the move changes a token\'s length on the same line span', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-align-'));
  writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  orders:\n    image: shop/orders\n    build: ./orders\n    ports:\n      - "18080:80"\n  web:\n    image: shop/web\n    environment:\n      A_URL: http://orders:80/a\n      B_URL: "http://orders:80/b"\n');
  writeFileSync(join(dir, 'orders.production.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n  selector: {matchLabels: {app: orders}}\n  template:\n    metadata: {labels: {app: orders}}\n    spec:\n      containers:\n        - name: orders\n          image: shop/orders\n          ports:\n            - containerPort: 8080\n');
  const ws = api.readWorkspace(dir);
  const a = api.analyze(ws.files, ws.config);
  const fix = api.alignServiceFix(a.model, 'orders');
  assert.ok(fix, a.findings.map((f) => f.message).join('\n'));
  const all = api.withDependentFixes(ws.files, ws.config, a.findings, fix);
  const text = ws.files.find((f) => f.path === 'docker-compose.yml').text;
  const after = api.applyEdits(text, all.edits.filter((e) => e.loc.file === 'docker-compose.yml')).text;
  assert.equal(after, text.replace('18080:80"', '18080:8080"').replace('orders:80/a', 'orders:8080/a').replace('orders:80/b', 'orders:8080/b'));
  // Lines and columns agree with the offsets (the editor applies by line and column).
  for (const e of all.edits) {
    const t = ws.files.find((f) => f.path === e.loc.file).text;
    const lines = t.slice(0, e.loc.start).split('\n');
    assert.deepEqual([e.loc.line, e.loc.col], [lines.length - 1, lines.at(-1).length]);
  }
  rmSync(dir, { recursive: true, force: true });
});
