// The VS Code client's pure parts (status bar text, summary, Markdown report, port contract, the panel's
// HTML shell), fed with the real matrix of examples/shop from the language server, and the two requests
// the client adds to the server: portParity/serviceAt and portParity/reindex.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import lib from '../dist/client-lib.js';
import { copyWorkspace, LspClient, uriOf } from './lsp/harness.mjs';

const { alignTarget, contentSecurityPolicy, contractYaml, driftingRows, markdownReport, panelHtml, statusText, summaryLine } = lib;
const SHOP = new URL('../examples/shop', import.meta.url).pathname;

let root;
let client;
let matrix;

before(async () => {
  root = copyWorkspace(SHOP);
  client = new LspClient();
  await client.start(root);
  matrix = await client.request('portParity/matrix', {});
});

after(async () => {
  await client?.stop();
});

const row = (m, service) => m.rows.find((r) => r.service === service);

test('the matrix carries each row\'s folder and callers for the panel', () => {
  assert.deepEqual(matrix.environments, ['local', 'staging', 'production']);
  const orders = row(matrix, 'orders');
  assert.equal(orders.folder, root);
  assert.equal(orders.drift, true);
  assert.ok(orders.callers.some((c) => c.from === 'api'), JSON.stringify(orders.callers));
  assert.deepEqual(alignTarget(orders), [9000]);
});

test('the summary line counts services, environments and drifting services', () => {
  const drifting = driftingRows(matrix).length;
  assert.ok(drifting >= 1);
  assert.equal(summaryLine(matrix), `${matrix.rows.length} services, 3 environments, ${drifting} drifting`);
  assert.equal(summaryLine({ environments: ['local'], rows: [{ ...row(matrix, 'api'), drift: false }], findings: matrix.findings }), '1 service, 1 environment, 0 drifting');
});

test('the status bar says drift and problems with the worst severity\'s icon, and a check mark only when all is well', () => {
  const n = driftingRows(matrix).length;
  const { errors, warnings, infos } = matrix.findings;
  assert.ok(errors > 0 && warnings > 0, JSON.stringify(matrix.findings));
  const s = statusText(matrix);
  assert.equal(s.text, `$(error) Ports: ${n} drift${n === 1 ? '' : 's'}, ${errors + warnings} problems`);
  assert.match(s.tooltip, /services, 3 environments/);
  assert.ok(s.tooltip.includes(`${errors} errors, ${warnings} warnings, ${infos} info`), s.tooltip);
  assert.equal(s.visible, true);
  // Aligned but still wrong: never "✓" beside errors (the status item said "✓ Ports" beside 20 errors).
  const aligned = { ...matrix, rows: matrix.rows.map((r) => ({ ...r, drift: false })) };
  assert.equal(statusText(aligned).text, `$(error) Ports: ${errors + warnings} problems`);
  assert.equal(statusText({ ...aligned, findings: { errors: 0, warnings: 2, infos: 0 } }).text, '$(warning) Ports: 2 problems');
  assert.equal(statusText({ ...matrix, findings: { errors: 0, warnings: 0, infos: 0 } }).text, `$(warning) Ports: ${n} drift${n === 1 ? '' : 's'}`);
  // Infos alone are notes, not problems: a check mark, with the notes counted in the tooltip.
  const clean = statusText({ ...aligned, findings: { errors: 0, warnings: 0, infos: 3 } });
  assert.equal(clean.text, '$(check) Ports');
  assert.match(clean.tooltip, /3 infos/);
  assert.equal(statusText(undefined).text, '$(sync~spin) Ports');
  // A workspace with nothing Port Parity reads (only a GitHub workflow): no item at all.
  assert.equal(statusText({ environments: [], rows: [], findings: { errors: 0, warnings: 0, infos: 0 } }).visible, false);
  assert.equal(statusText({ environments: [], rows: [], findings: { errors: 0, warnings: 0, infos: 1 } }).visible, true);
});

test('the Markdown report has the matrix, the callers and every finding', () => {
  const findings = [
    { severity: 'warning', rule: 'port-parity', file: 'deploy/staging/orders.yaml', line: 28, column: 30, message: 'orders listens on 8080 in staging but 9000 in production' },
    { severity: 'error', rule: 'probe-port', file: 'docker-compose.yml', line: 21, column: 55, message: 'healthcheck | pipes' },
  ];
  const md = markdownReport(matrix, findings, 'Port Parity report: shop', new Date('2026-01-02T03:04:05Z'));
  assert.match(md, /^# Port Parity report: shop\n/);
  assert.match(md, /Generated 2026-01-02 03:04 UTC/);
  assert.match(md, /\| Service \| local \| staging \| production \| Drift \|/);
  assert.match(md, /\| orders \| 8080 ≠ \| 8080 ≠ \| \*\*9000\*\* \(reference\) \| yes: align to 9000 \|/);
  assert.match(md, /\| payments \(contract 8090\) \|/);
  assert.match(md, /- \*\*orders\*\* ← api on 8080/);
  // errors first; a | in a message does not break the table
  assert.ok(md.indexOf('probe-port') < md.indexOf('`port-parity`'));
  assert.match(md, /healthcheck \\\| pipes/);
});

test('the report escapes service names that look like HTML or Markdown', () => {
  const evil = { ...row(matrix, 'api'), service: '<img src=x onerror=alert(1)>|x' };
  const md = markdownReport({ ...matrix, rows: [evil] }, []);
  assert.ok(!md.includes('<img'), md);
  assert.match(md, /&lt;img src=x onerror=alert\(1\)>\\\|x/);
});

test('a new port contract lists every service with its reference ports', () => {
  const { text, services } = contractYaml(matrix, root, undefined);
  const y = parse(text);
  assert.equal(y.reference, 'production');
  assert.equal(y.services.orders, 9000);
  assert.equal(y.services.api, 8000);
  assert.equal(y.services.payments, 8090);
  assert.equal(services, Object.keys(y.services).length);
  assert.match(text, /^# Port Parity configuration/);
});

test('an existing .portparity.yaml keeps its keys and comments; its contract is updated', () => {
  const existing = '# our settings\nreference: production # the reference\nrules:\n  loopback-bind: off\nservices:\n  payments: 8090 # agreed with the payments team\n  legacy: 7000\n';
  const { text } = contractYaml(matrix, root, existing);
  const y = parse(text);
  assert.deepEqual(y.rules, { 'loopback-bind': 'off' });
  assert.equal(y.services.legacy, 7000);
  assert.equal(y.services.orders, 9000);
  assert.match(text, /# our settings/);
  assert.match(text, /payments: 8090 # agreed with the payments team/);
  const changed = contractYaml(matrix, root, 'services:\n  orders: 8080 # moved\n  api: [1, 2] # two\n');
  assert.match(changed.text, /orders: 9000 # moved/);
  assert.match(changed.text, /\n  api: 8000\n/);
  // rows of another folder are not written
  assert.deepEqual(contractYaml(matrix, '/elsewhere', undefined).services, 0);
});

test('the contract quotes names YAML would misread', () => {
  const odd = { ...matrix, rows: [{ ...row(matrix, 'api'), service: 'on' }, { ...row(matrix, 'api'), service: 'a: b' }] };
  const y = parse(contractYaml(odd, root, undefined).text);
  assert.deepEqual(Object.keys(y.services), ['on', 'a: b']);
});

test('the panel shell has a strict CSP with a nonce and loads only the extension\'s files', () => {
  const html = panelHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', script: 'https://x/media/panel.js', style: 'https://x/media/panel.css', nonce: 'abc123' });
  const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
  assert.match(csp, /^default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  assert.ok(html.includes(`content="${csp.replace(/'/g, "'")}"`));
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\/media\/panel.js"><\/script>/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.doesNotMatch(html, /style=/);
});

test('portParity/serviceAt names the service whose port is under the cursor', async () => {
  const at = await client.request('portParity/serviceAt', { textDocument: { uri: uriOf(root, 'deploy/staging/orders.yaml') }, position: { line: 27, character: 31 } });
  assert.deepEqual(at, { service: 'orders', folder: root });
  const none = await client.request('portParity/serviceAt', { textDocument: { uri: uriOf(root, 'deploy/staging/orders.yaml') }, position: { line: 0, character: 0 } });
  assert.equal(none, null);
});

test('portParity.alignService returns the edits that align a drifting service', async () => {
  const edit = await client.request('portParity.alignService', { folder: root, service: 'orders' });
  const files = Object.keys(edit.changes).map((u) => u.slice(uriOf(root, '').length + 1));
  assert.ok(files.includes('deploy/staging/orders.yaml'), files.join(', '));
  assert.ok(Object.values(edit.changes).flat().every((e) => e.newText === '9000'));
  assert.equal(await client.request('portParity.alignService', { folder: root, service: 'api' }), null);
});

test('portParity/reindex reads the folder from disk again and re-checks it', async () => {
  // Changed on disk without a watcher event: only a re-index sees it.
  writeFileSync(join(root, 'deploy', 'production', 'orders.yaml'), (await import('node:fs')).readFileSync(join(root, 'deploy', 'production', 'orders.yaml'), 'utf8').replaceAll('9000', '8080'));
  const next = client.nextEvaluation();
  const r = await client.request('portParity/reindex', null);
  assert.equal(r.folders, 1);
  assert.ok(r.files > 10, JSON.stringify(r));
  await next;
  const m = await client.request('portParity/matrix', {});
  assert.equal(row(m, 'orders').drift, false);
});

test('the matrix names the unmarked environment in words, and the report uses them: "unmarked (base)", not "default"', async () => {
  assert.equal(matrix.environmentLabels, undefined, 'examples/shop marks every file');
  const dir = copyWorkspace(new URL('./fixtures/port-parity/invalid-chart-beside-manifests', import.meta.url).pathname);
  const other = new LspClient();
  await other.start(dir);
  // The first check's matrix (a request may come before the check ends and find none yet).
  const m = await other.until(() => other.lastMatrix, 'the first matrix');
  await other.stop();
  assert.deepEqual(m.environments, ['default']);
  assert.equal(m.environmentLabels.default.label, 'unmarked (base)');
  assert.match(m.environmentLabels.default.note, /^unmarked \(base\): the files no folder or file name marks with an environment/);
  const md = markdownReport(m, []);
  assert.match(md, /^\| Service \| unmarked \(base\) \| Drift \|$/m);
  assert.match(md, /^unmarked \(base\): the files no folder/m);
  assert.doesNotMatch(md, /\bdefault\b/);
});
