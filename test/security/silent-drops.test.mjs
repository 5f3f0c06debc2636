// Issue 15 point 10: what the tool cannot read is said, at the place, never dropped in silence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LspClient, uriOf } from '../lsp/harness.mjs';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

function run(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20000, ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

/** A fresh workspace from `{ path: text }`. */
function workspace(files) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-sec-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function check(dir) {
  const r = run(['check', dir, '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.err);
  return { ...JSON.parse(r.out), err: r.err };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api
          ports:
            - containerPort: 8080
`;

test('two overlays that include each other: both environments are checked and the entry that closes the cycle is reported with the cycle', () => {
  const dir = workspace({
    'overlays/staging/kustomization.yaml': 'resources:\n  - ../production\n  - app.yaml\n',
    'overlays/production/kustomization.yaml': 'resources:\n  - ../staging\n',
    'overlays/staging/app.yaml': DEPLOYMENT,
  });
  const r = check(dir);
  const notes = r.findings.filter((f) => f.rule === 'skipped-source' && /closes a cycle/.test(f.message));
  const atProd = notes.find((f) => f.file === 'overlays/production/kustomization.yaml');
  assert.ok(atProd, JSON.stringify(r.findings));
  assert.equal(atProd.line, 2);
  assert.match(atProd.message, /resource \.\.\/staging closes a cycle of kustomizations \(overlays\/staging → overlays\/production → overlays\/staging\)/);
  const api = r.services.find((s) => s.name === 'api');
  assert.deepEqual(api?.ports.map((p) => [p.environment, p.port]).sort(), [['production', 8080], ['staging', 8080]]);
});

test('a three-overlay cycle without environments renders once, with one note at the entry that closes it', () => {
  const dir = workspace({
    'a/kustomization.yaml': 'resources:\n  - ../b\n  - app.yaml\n',
    'b/kustomization.yaml': 'resources:\n  - ../c\n',
    'c/kustomization.yaml': 'resources:\n  - ../a\n',
    'a/app.yaml': DEPLOYMENT,
  });
  const r = check(dir);
  const notes = r.findings.filter((f) => /closes a cycle/.test(f.message));
  assert.equal(notes.length, 1, JSON.stringify(r.findings));
  assert.equal(notes[0].file, 'c/kustomization.yaml');
  assert.match(notes[0].message, /\(a → b → c → a\)/);
  assert.ok(r.services.some((s) => s.name === 'api' && s.ports.some((p) => p.port === 8080)));
});

test('the language server reports a kustomization cycle as a diagnostic at the entry that closes it', async () => {
  const dir = workspace({
    'overlays/staging/kustomization.yaml': 'resources:\n  - ../production\n  - app.yaml\n',
    'overlays/production/kustomization.yaml': 'resources:\n  - ../staging\n',
    'overlays/staging/app.yaml': DEPLOYMENT,
  });
  const client = new LspClient();
  await client.start(dir);
  try {
    const d = await client.diagnosticsFor('overlays/production/kustomization.yaml', (ds) => ds.some((x) => /closes a cycle/.test(x.message)));
    const hit = d.find((x) => /closes a cycle/.test(x.message));
    assert.equal(hit.code, 'skipped-source');
    assert.equal(hit.range.start.line, 1);
  } finally {
    await client.stop();
  }
});

const BOMB = ['x-a: &a [1,1,1,1,1,1,1,1,1,1]', ...'bcdefgh'.split('').map((c, i) => `x-${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n');

test('an alias that expands to 10^8 entries is not expanded: a note at the alias, the rest of the file is read', () => {
  const dir = workspace({ 'compose.yaml': `${BOMB}\nservices:\n  api:\n    image: api\n    ports: *h\n  web:\n    image: web\n    ports:\n      - "8080:80"\n` });
  const r = check(dir);
  const notes = r.findings.filter((f) => f.rule === 'skipped-source' && f.file === 'compose.yaml');
  assert.ok(notes.some((f) => /alias \*\w would expand the file past 1000000 YAML nodes: it is not read/.test(f.message)), JSON.stringify(r.findings));
  // The aliases past the budget are counted at the last of them: the `ports: *h` line.
  assert.ok(notes.some((f) => f.line === 12 && /more aliases of this file are not read/.test(f.message)), JSON.stringify(notes));
  assert.ok(r.services.some((s) => s.name === 'web'));
});

test('an alias bomb in a chart values file terminates with a note at the values file', () => {
  const dir = workspace({
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'chart/values.yaml': `${BOMB}\nport: 8080\n`,
    'chart/templates/dep.yaml': DEPLOYMENT.replace('8080', '{{ .Values.port }}'),
  });
  const r = check(dir);
  assert.ok(r.findings.some((f) => f.file === 'chart/values.yaml' && /would expand the file past/.test(f.message)), JSON.stringify(r.findings));
  assert.ok(r.services.some((s) => s.name === 'api' && s.ports.some((p) => p.port === 8080)));
});

test('an alias inside its own anchor is a note, not a loop; a plain alias in a Kubernetes manifest is followed', () => {
  const dir = workspace({
    'compose.yaml': 'x-loop: &loop [1, *loop]\nservices:\n  api:\n    image: api\n    ports: *loop\n',
    'k8s/app.yaml': DEPLOYMENT.replace('metadata:', 'x-ports: &p\n  - containerPort: 9090\nmetadata:').replace(/ports:\n {12}- containerPort: 8080/, 'ports: *p'),
  });
  const r = check(dir);
  assert.ok(r.findings.some((f) => f.file === 'compose.yaml' && f.line === 1 && /alias \*loop contains itself: it is not read/.test(f.message)), JSON.stringify(r.findings));
  assert.ok(r.services.some((s) => s.name === 'api' && s.ports.some((p) => p.port === 9090)), JSON.stringify(r.services));
});

const DEEP = 100000;

test('100,000-deep brackets: a note "nested deeper than 200 levels" at the line, no crash, the other services are read', () => {
  const deep = `${'['.repeat(DEEP)}1${']'.repeat(DEEP)}`;
  const dir = workspace({
    'compose.yaml': `services:\n  api:\n    image: x\n    ports: ${deep}\n  web:\n    image: w\n    ports: ["80:80"]\n`,
    'k8s/svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: ${deep}\n`,
    'k8s/block.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  x: ${'- '.repeat(DEEP)}1\n`,
    '.env': `A=${'['.repeat(DEEP)}\n`,
    Dockerfile: `FROM x\nEXPOSE ${'['.repeat(DEEP)}\nCMD ${'['.repeat(DEEP)}\n`,
  });
  const r = check(dir);
  for (const [file, line] of [['compose.yaml', 4], ['k8s/svc.yaml', 6]]) {
    assert.ok(r.findings.some((f) => f.file === file && f.line === line && f.rule === 'skipped-source' && /YAML nested deeper than 200 levels: what lies deeper is not read/.test(f.message)), `${file}: ${JSON.stringify(r.findings.map((f) => [f.file, f.line, f.message.slice(0, 80)]))}`);
  }
  assert.ok(!r.findings.some((f) => /call stack/i.test(f.message)));
  assert.ok(r.services.some((s) => s.name === 'web'));
});

test('symbolic links are never followed and each one the walk would read is reported as skipped', () => {
  const outside = workspace({ 'compose.yaml': 'services:\n  outside:\n    image: o\n    ports: ["80:80"]\n' });
  const dir = workspace({ 'Dockerfile': 'FROM x\nEXPOSE 80\n' });
  symlinkSync(join(outside, 'compose.yaml'), join(dir, 'docker-compose.yml'));
  symlinkSync(outside, join(dir, 'linked'));
  symlinkSync(join(outside, 'compose.yaml'), join(dir, 'notes.txt'));
  const r = check(dir);
  assert.ok(!r.services.some((s) => s.name === 'outside'));
  assert.match(r.err, /^port-parity: skipped docker-compose\.yml: a symbolic link: not followed$/m);
  assert.match(r.err, /^port-parity: skipped linked: a symbolic link to a folder: not followed$/m);
  assert.doesNotMatch(r.err, /notes\.txt/);
});

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test('an unreadable checked folder exits 2 with "cannot read: permission denied"; an unreadable subfolder is a skipped note', { skip: process.platform === 'win32' ? 'no POSIX permissions' : false }, () => {
  const parent = mkdtempSync(join(tmpdir(), 'pp-sec-'));
  chmodSync(parent, 0o755);
  const dir = join(parent, 'ws');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM x\nEXPOSE 80\n');
  chmodSync(join(dir, 'sub'), 0);
  // chmod 000 does not stop root: the CLI then runs as nobody.
  const opts = asRoot ? { uid: 65534, gid: 65534 } : {};
  try {
    const sub = run(['check', dir], opts);
    assert.equal(sub.code, 0, sub.err);
    assert.match(sub.err, /^port-parity: skipped sub: cannot read: permission denied$/m);
    chmodSync(dir, 0);
    const r = run(['check', dir], opts);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(r.err, `port-parity: ${dir}: cannot read: permission denied\n`);
    assert.equal(r.out, '');
  } finally {
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'sub'), 0o755);
  }
});

test('a file name that is not UTF-8 is skipped with its bytes escaped', (t) => {
  const dir = workspace({ 'Dockerfile': 'FROM x\nEXPOSE 80\n' });
  try {
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0xff]), Buffer.from('.compose.yaml')]), 'services: {}\n');
    mkdirSync(Buffer.concat([Buffer.from(`${dir}/dir`), Buffer.from([0xfe])]));
  } catch {
    t.skip('this file system refuses names that are not UTF-8');
    return;
  }
  const r = check(dir);
  assert.match(r.err, /^port-parity: skipped \\xff\.compose\.yaml: the file name is not valid UTF-8: not read$/m);
  assert.match(r.err, /^port-parity: skipped dir\\xfe: the folder name is not valid UTF-8: not read$/m);
  assert.doesNotMatch(r.err, /\uFFFD/);
});

test('in the editor, an edit that nests too deep or makes an alias contain itself gets the note at once, and loses it when undone', async () => {
  const good = 'services:\n  api:\n    image: api\n    ports: ["8080:80"]\n  web:\n    image: web\n    ports: ["9090:90"]\n';
  const dir = workspace({ 'compose.yaml': good });
  const client = new LspClient();
  await client.start(dir);
  try {
    const uri = uriOf(dir, 'compose.yaml');
    await client.nextEvaluation();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: good } });
    const deep = good.replace('["9090:90"]', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: deep }] });
    let d = await client.diagnosticsFor('compose.yaml', (ds) => ds.some((x) => /nested deeper than 200 levels/.test(x.message)));
    assert.equal(d.find((x) => /nested deeper/.test(x.message)).range.start.line, 6);
    const loop = `x-l: &l [1, *l]\n${good.replace('["9090:90"]', '*l')}`;
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: loop }] });
    d = await client.diagnosticsFor('compose.yaml', (ds) => ds.some((x) => /alias \*l contains itself/.test(x.message)));
    assert.ok(!d.some((x) => /nested deeper/.test(x.message)));
    client.notify('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: good }] });
    await client.diagnosticsFor('compose.yaml', (ds) => !ds.some((x) => x.code === 'skipped-source'), 'the notes gone');
  } finally {
    await client.stop();
  }
});

test('a checked folder that is itself a symbolic link is checked and fixed (the user named it); links below it stay unfollowed', () => {
  const real = workspace({
    'docker-compose.yml': 'services:\n  api:\n    build: .\n    ports: ["8080:8080"]\n',
    Dockerfile: 'FROM node:20\nEXPOSE 8081\n',
  });
  const outside = workspace({ 'k.yaml': DEPLOYMENT });
  symlinkSync(join(outside, 'k.yaml'), join(real, 'leak.yaml'));
  const link = `${real}-link`;
  symlinkSync(real, link);
  const r = run(['check', link, '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /internal error|\n\s+at /);
  const report = JSON.parse(r.out);
  assert.ok(report.findings.some((f) => f.rule === 'expose-mismatch'), r.out);
  assert.match(r.err, /skipped leak\.yaml: a symbolic link: not followed/);
  const fixed = run(['fix', link]);
  assert.equal(fixed.code, 0, fixed.err);
  assert.match(fixed.out, /Changed 1 file/);
});
