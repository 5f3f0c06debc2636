// Issue 15 point 7: the language server and the CLI read only regular files inside the workspace folder.
// A symlink to a file outside, a file under a symlinked folder and a FIFO are never read (their content
// never reaches diagnostics, hover or the matrix), a FIFO never blocks, and each is logged with why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyWorkspace, LspClient, uriOf } from '../lsp/harness.mjs';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;
const WORKSPACE = new URL('../lsp/workspace', import.meta.url).pathname;
const SECRET = 'leaksecret';
// A Deployment and a Service that would give a matrix row and a service-target-port error if read.
const OUTSIDE_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${SECRET}
spec:
  selector: {matchLabels: {app: ${SECRET}}}
  template:
    metadata: {labels: {app: ${SECRET}}}
    spec:
      containers:
        - name: ${SECRET}
          ports: [{containerPort: 7777}]
---
apiVersion: v1
kind: Service
metadata: {name: ${SECRET}}
spec:
  selector: {app: ${SECRET}}
  ports: [{port: 80, targetPort: 7778}]
`;

function mkfifo(path) {
  try {
    execFileSync('mkfifo', [path], { stdio: 'ignore' });
    return true;
  } catch (e) {
    if (e.code === 'ENOENT') return false;
    throw e;
  }
}

/** A workspace with `leak.yaml` -> outside, `linked/` -> an outside folder, and the FIFO `x.yaml`. */
function hostileWorkspace() {
  const root = copyWorkspace(WORKSPACE);
  const outside = mkdtempSync(join(tmpdir(), 'pp-outside-'));
  writeFileSync(join(outside, 'secret.yaml'), OUTSIDE_MANIFEST);
  symlinkSync(join(outside, 'secret.yaml'), join(root, 'leak.yaml'));
  symlinkSync(outside, join(root, 'linked'));
  const fifo = mkfifo(join(root, 'x.yaml'));
  return { root, outside, fifo };
}

const noFifo = spawnSync('mkfifo', ['--version']).error?.code === 'ENOENT' ? 'mkfifo not found: the FIFO cases need it' : false;

/** Rejects after `ms`: a request the server never answers fails the test instead of hanging it. */
function within(promise, ms, what) {
  let t;
  return Promise.race([promise, new Promise((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

let ws;
let client;

before(async () => {
  if (noFifo) return;
  ws = hostileWorkspace();
  client = new LspClient();
  await within(client.start(ws.root), 20000, 'initialize');
});

after(async () => {
  if (!client) return;
  // A server stuck on a FIFO would never answer shutdown: kill it.
  await within(client.stop(), 5000, 'shutdown').catch(() => client.proc.kill('SIGKILL'));
});

const everything = () => JSON.stringify([...client.diagnostics.values()]);

test('the language server indexes past a symlink, a linked folder and a FIFO without reading them', { skip: noFifo }, async () => {
  await client.diagnosticsFor('deploy/staging/api.yaml', (d) => d.length > 0);
  const m = await within(client.request('portParity/matrix', {}), 20000, 'the matrix');
  assert.ok(m.rows.some((r) => r.service === 'api'), 'the real workspace is checked');
  assert.ok(!JSON.stringify(m).includes(SECRET), 'the matrix holds nothing from outside the workspace');
  assert.ok(!everything().includes(SECRET) && !everything().includes('7778'), everything());
});

test('watched-file events for a FIFO, a symlink and a file under a linked folder neither block nor read them', { skip: noFifo }, async () => {
  const rels = ['x.yaml', 'leak.yaml', 'linked/secret.yaml'];
  const settled = client.nextEvaluation();
  client.notify('workspace/didChangeWatchedFiles', { changes: rels.flatMap((r) => [{ uri: uriOf(ws.root, r), type: 1 }, { uri: uriOf(ws.root, r), type: 2 }]) });
  await within(settled, 20000, 'the re-evaluation after the events');
  // The server still answers: a hover on the staging container port.
  const staging = 'deploy/staging/api.yaml';
  const lines = readFileSync(join(ws.root, staging), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('containerPort'));
  const h = await within(client.request('textDocument/hover', { textDocument: { uri: uriOf(ws.root, staging) }, position: { line, character: lines[line].indexOf('8080') + 1 } }), 20000, 'a hover');
  assert.match(h.contents.value, /\*\*api\*\*: container port \*\*8080\*\*/);
  assert.ok(!h.contents.value.includes(SECRET));
  const m = await within(client.request('portParity/matrix', {}), 20000, 'the matrix');
  assert.ok(!JSON.stringify(m).includes(SECRET), 'the matrix holds nothing from outside the workspace');
  assert.ok(!everything().includes(SECRET) && !everything().includes('7778'), everything());
  for (const r of rels) assert.equal(client.diagnostics.get(uriOf(ws.root, r)), undefined, `no diagnostics for ${r}`);
  // Each is logged, with why.
  const logs = client.logs.join('\n');
  assert.match(logs, /skipped x\.yaml: a FIFO \(named pipe\), not a regular file/);
  assert.match(logs, /skipped leak\.yaml: a symbolic link, not followed/);
  assert.match(logs, /skipped linked\/secret\.yaml: outside the workspace folder/);
});

test('a file replaced by a symlink after it was read is dropped, not followed, on the next event', { skip: noFifo }, async () => {
  const rel = 'deploy/staging/extra.yaml';
  writeFileSync(join(ws.root, rel), OUTSIDE_MANIFEST.replaceAll(SECRET, 'extra'));
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(ws.root, rel), type: 1 }] });
  await client.until(() => client.lastMatrix?.rows.some((r) => r.service === 'extra'), 'the extra service in the matrix');
  unlinkSync(join(ws.root, rel));
  symlinkSync(join(ws.outside, 'secret.yaml'), join(ws.root, rel));
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(ws.root, rel), type: 2 }] });
  await client.until(() => client.lastMatrix && !client.lastMatrix.rows.some((r) => r.service === 'extra'), 'the extra service to leave the matrix');
  assert.ok(!JSON.stringify(client.lastMatrix).includes(SECRET));
  assert.match(client.logs.join('\n'), /skipped deploy\/staging\/extra\.yaml: a symbolic link, not followed/);
});

test('a .portparity.yaml that becomes a symlink is not read by the server on its watched-file event', { skip: noFifo }, async () => {
  writeFileSync(join(ws.outside, 'cfg.yaml'), 'rules:\n  port-parity: leaked-value\n');
  symlinkSync(join(ws.outside, 'cfg.yaml'), join(ws.root, '.portparity.yaml'));
  const settled = client.nextEvaluation();
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(ws.root, '.portparity.yaml'), type: 1 }] });
  await within(settled, 20000, 'the re-evaluation after the config event');
  assert.ok(!everything().includes('leaked-value'), everything());
  assert.equal(client.diagnostics.get(uriOf(ws.root, '.portparity.yaml')), undefined);
  assert.match(client.logs.join('\n'), /skipped \.portparity\.yaml: a symbolic link, not followed/);
});

test('the CLI walk passes a FIFO and symlinks by and terminates', { skip: noFifo }, () => {
  const { root } = hostileWorkspace();
  mkdirSync(join(root, 'more'));
  const r = spawnSync(process.execPath, [CLI, 'matrix', root, '--format', 'json'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.error, undefined, 'finishes within 20 s');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.ok(m.rows.some((x) => x.service === 'api'));
  assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET));
});

test('a symlinked .portparity.yaml is not read: a config error names it (exit 2)', () => {
  const root = copyWorkspace(WORKSPACE);
  const outside = mkdtempSync(join(tmpdir(), 'pp-outside-'));
  writeFileSync(join(outside, 'cfg.yaml'), 'rules:\n  port-parity: leaked-value\n');
  symlinkSync(join(outside, 'cfg.yaml'), join(root, '.portparity.yaml'));
  const r = spawnSync(process.execPath, [CLI, 'check', root], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /cannot read config: \.portparity\.yaml: a symbolic link, not followed/);
  assert.ok(!r.stderr.includes('leaked-value'));
});
