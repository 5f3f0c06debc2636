// Hovers as different clients ask for them: a Markdown table for VS Code, aligned plain text for a client
// that does not list Markdown first (LSP contentFormat), "← this" only where the value takes effect, and
// the unmarked environment named in words and explained.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, copyWorkspace, uriOf } from './harness.mjs';

const SHOP = new URL('../../examples/shop', import.meta.url).pathname;
const UNMARKED = new URL('../fixtures/port-parity/invalid-chart-beside-manifests', import.meta.url).pathname;
const started = [];

/** `tables`: the client says it renders Markdown tables (the VS Code client's initializationOptions). */
async function open(fixture, format, tables = false) {
  const root = copyWorkspace(fixture);
  const client = new LspClient();
  const textDocument = { publishDiagnostics: { relatedInformation: true }, codeAction: {}, ...(format ? { hover: { contentFormat: format } } : {}) };
  await client.start(root, { capabilities: { textDocument }, initializationOptions: tables ? { hoverTables: true } : undefined });
  started.push({ client, root });
  return { root, client };
}

/** The hover at the first occurrence of `needle` on the line that holds `lineNeedle`. */
async function hoverAt(c, rel, lineNeedle, needle) {
  const lines = readFileSync(join(c.root, rel), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `${rel} has ${lineNeedle}`);
  await c.client.diagnosticsFor(rel, () => true);
  return c.client.request('textDocument/hover', { textDocument: { uri: uriOf(c.root, rel) }, position: { line, character: lines[line].indexOf(needle, lines[line].indexOf(lineNeedle)) + 1 } });
}

after(async () => {
  for (const { client, root } of started) {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a .env value the image\'s ENV hides in staging and production is marked "← this" only in local, as its diagnostic says', async () => {
  const c = await open(SHOP, ['markdown', 'plaintext'], true);
  const d = await c.client.diagnosticsFor('services/storefront/.env', (x) => x.some((y) => y.code === 'env-port-mismatch'));
  assert.match(d.find((y) => y.code === 'env-port-mismatch').message, /in local \(/);
  const h = await hoverAt(c, 'services/storefront/.env', 'PORT=', '3001');
  assert.equal(h.contents.kind, 'markdown');
  const v = h.contents.value;
  assert.match(v, /^\| local ← this \| 3000 \|/m);
  assert.match(v, /^\| staging \| 3000 \|/m);
  assert.match(v, /^\| production \(reference\) \| 3000 \|/m);
  assert.match(v, /\(local; in staging and production a stronger setting of the variable hides it\)/);
});

test('a client that lists plain text first gets aligned plain text: no table, no Markdown links, the rule id on each diagnostic', async () => {
  const c = await open(SHOP, ['plaintext', 'markdown']);
  const d = await c.client.diagnosticsFor('deploy/staging/orders.yaml', (x) => x.length > 0);
  assert.ok(d.every((x) => typeof x.code === 'string' && x.code.length > 0 && /docs\/rules\/[a-z-]+\.md$/.test(x.codeDescription?.href ?? '')), JSON.stringify(d));
  const h = await hoverAt(c, 'deploy/staging/orders.yaml', 'containerPort', '8080');
  assert.equal(h.contents.kind, 'plaintext');
  const v = h.contents.value;
  assert.doesNotMatch(v, /\||\]\(|\*\*|\\/, v);
  assert.match(v, /^orders: container port 8080 \(staging\)$/m);
  const rows = v.split('\n').filter((l) => /^(local|staging|production)\b/.test(l));
  assert.equal(rows.length, 3, v);
  // The port column starts at one place in every row.
  assert.equal(new Set(rows.map((l) => l.search(/\d{4}/))).size, 1, v);
  assert.match(v, /^staging ← this\s+8080 ≠\s+deploy\/staging\/orders\.yaml:\d+$/m);
  assert.ok(v.split('\n').every((l) => l.length <= 100), `no line wider than 100 characters:\n${v}`);
});

test('a Markdown client that does not say it renders tables (Neovim) gets a short list with file:line, no table, no links', async () => {
  const c = await open(SHOP, ['markdown', 'plaintext']);
  const h = await hoverAt(c, 'deploy/staging/orders.yaml', 'containerPort', '8080');
  assert.equal(h.contents.kind, 'markdown');
  const v = h.contents.value;
  assert.doesNotMatch(v, /\||\]\(/, v);
  assert.match(v, /^\*\*orders\*\*: container port \*\*8080\*\* \(staging\)$/m);
  assert.match(v, /^- staging ← this: 8080 ≠ \(deploy\/staging\/orders\.yaml:\d+\)$/m);
  assert.match(v, /^- production \(reference\): 9000 \(deploy\/production\/orders\.yaml:\d+\)$/m);
});

test('a client that says nothing of its hover formats gets plain text (the LSP default)', async () => {
  const c = await open(SHOP, undefined);
  const h = await hoverAt(c, 'deploy/staging/orders.yaml', 'containerPort', '8080');
  assert.equal(h.contents.kind, 'plaintext');
});

test('the environment of unmarked files is named "unmarked (base)" and explained, not "default"', async () => {
  const md = await open(UNMARKED, ['markdown'], true);
  const h = await hoverAt(md, 'k8s/api.yaml', 'containerPort', '80');
  assert.match(h.contents.value, /container port \*\*80\*\* \(unmarked \(base\)\)/);
  assert.match(h.contents.value, /^\| unmarked \\\(base\\\) \(reference\) ← this \| 8080 \|/m);
  assert.match(h.contents.value, /^\*unmarked \(base\)\*: the files no folder or file name marks with an environment/m);
  assert.doesNotMatch(h.contents.value, /\bdefault\b/);
  const plain = await open(UNMARKED, ['plaintext']);
  const p = await hoverAt(plain, 'k8s/api.yaml', 'containerPort', '80');
  assert.match(p.contents.value, /^unmarked \(base\): the files no folder or file name marks/m);
  assert.doesNotMatch(p.contents.value, /\bdefault\b|`/);
});
