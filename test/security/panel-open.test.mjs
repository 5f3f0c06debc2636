// Issue 15 point 13: the parity panel's `open` message opens only a location the server named in the
// matrix the panel was last sent, and only a file: URI. The real ParityPanel (client/src/panel.ts) is
// bundled here with a stand-in for the `vscode` module and driven through its webview's message listener.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import lib from '../../dist/client-lib.js';
import { copyWorkspace, LspClient } from '../lsp/harness.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const { NamedLocations } = lib;

// Just what panel.ts uses of the editor API.
const FAKE_VSCODE = `
exports.errors = [];
exports.Uri = { joinPath: (u, ...parts) => ({ path: [u.path, ...parts].join('/'), toString() { return this.path; } }) };
exports.window = { showErrorMessage: async (m) => { exports.errors.push(m); } };
`;

let root;
let matrix;
let ParityPanel;

before(async () => {
  root = copyWorkspace(join(ROOT, 'examples', 'shop'));
  const client = new LspClient();
  await client.start(root);
  matrix = await client.request('portParity/matrix', {});
  await client.stop();
  const dir = mkdtempSync(join(tmpdir(), 'pp-panel-'));
  writeFileSync(join(dir, 'vscode.cjs'), FAKE_VSCODE);
  await build({ entryPoints: [join(ROOT, 'client/src/panel.ts')], outfile: join(dir, 'panel.cjs'), bundle: true, platform: 'node', format: 'cjs', alias: { vscode: join(dir, 'vscode.cjs') }, logLevel: 'warning' });
  ({ ParityPanel } = createRequire(import.meta.url)(join(dir, 'panel.cjs')));
});

const locations = (m) => m.rows.flatMap((r) => r.cells.flatMap((c) => c.locations));

/** A ParityPanel in a stand-in webview view; `send` is the webview posting a message to the extension. */
function openPanel(currentMatrix) {
  const opened = [];
  const refused = [];
  let listener;
  const host = {
    matrix: () => currentMatrix(),
    open: async (uri, line, character) => void opened.push({ uri, line, character }),
    align: async () => undefined,
    reindex: async () => undefined,
    refused: (what) => refused.push(what),
  };
  const none = { dispose() {} };
  const view = {
    visible: true,
    webview: { cspSource: 'test', options: {}, html: '', asWebviewUri: (u) => u, postMessage: async () => true, onDidReceiveMessage: (f) => ((listener = f), none) },
    onDidChangeVisibility: () => none,
    onDidDispose: () => none,
  };
  const panel = new ParityPanel({ path: '/ext' }, host);
  panel.resolveWebviewView(view);
  return { panel, opened, refused, send: (m) => listener(m) };
}

test('the matrix names file: locations (the fixture the gate is checked against)', () => {
  const locs = locations(matrix);
  assert.ok(locs.length > 10);
  assert.ok(locs.every((l) => l.uri.startsWith('file:')));
});

test('NamedLocations allows exactly the file: URIs of the last matrix it was given', () => {
  const named = new NamedLocations();
  const uri = locations(matrix)[0].uri;
  assert.equal(named.allows(uri), false, 'nothing before a matrix');
  named.update(matrix);
  for (const l of locations(matrix)) assert.equal(named.allows(l.uri), true, l.uri);
  for (const bad of [
    pathToFileURL(join(root, 'README.md')).href, // a workspace file no location names
    'file:///etc/passwd',
    `${uri}#L1`,
    `${uri}?x`,
    uri.toUpperCase(),
    'command:workbench.action.terminal.new',
    'https://example.com/',
    'vscode-userdata:/settings.json',
    '',
    undefined,
    42,
    { toString: () => uri },
  ]) assert.equal(named.allows(bad), false, String(bad));
  named.update({ ...matrix, rows: [] });
  assert.equal(named.allows(uri), false, 'a URI of an earlier matrix only');
  named.update(null);
  assert.equal(named.allows(uri), false);
});

test('the panel opens a location of the matrix it sent and refuses others, with a note', () => {
  let current = matrix;
  const p = openPanel(() => current);
  const loc = locations(matrix)[0];
  // Before 'ready' nothing was sent: nothing may be opened.
  p.send({ type: 'open', uri: loc.uri, line: loc.line, character: loc.character });
  assert.deepEqual(p.opened, []);
  assert.equal(p.refused.length, 1);
  p.send({ type: 'ready' });
  p.send({ type: 'open', uri: loc.uri, line: loc.line, character: loc.character });
  assert.deepEqual(p.opened, [{ uri: loc.uri, line: loc.line, character: loc.character }]);
  for (const uri of ['file:///etc/passwd', pathToFileURL(join(root, 'README.md')).href, 'command:workbench.action.terminal.new', 'https://example.com/', undefined]) p.send({ type: 'open', uri, line: 0, character: 0 });
  assert.equal(p.opened.length, 1, JSON.stringify(p.opened));
  assert.equal(p.refused.length, 6);
  assert.match(p.refused[1], /etc\/passwd.*not a location of the matrix the panel shows/);
  // A hostile line or column opens the named file at 0, never throws.
  p.send({ type: 'open', uri: loc.uri, line: -5, character: 'x' });
  assert.deepEqual(p.opened[1], { uri: loc.uri, line: 0, character: 0 });
  // A new matrix without that location: refused from then on.
  current = { ...matrix, rows: matrix.rows.filter((r) => !r.cells.some((c) => c.locations.some((l) => l.uri === loc.uri))) };
  p.panel.post();
  p.send({ type: 'open', uri: loc.uri, line: 0, character: 0 });
  assert.equal(p.opened.length, 2);
  assert.equal(p.refused.length, 7);
});
