// `port-parity fix` on hostile or awkward disks (issue 15, points 3-6 and 8): byte-exact edits, no stale
// text, no link followed, per-file I/O errors without a stack, one run to a fixpoint, no password shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import api from '../../dist/api.js';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;
const WORKSPACE = new URL('../lsp/workspace', import.meta.url).pathname;
const SHOP = new URL('../../examples/shop', import.meta.url).pathname;
const STAGING = 'deploy/staging/api.yaml';

function run(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function copy(from = WORKSPACE) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-fix-'));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** The fix module in-process, with a hook between the analysis and each write. */
function fixInProcess(dir, beforeWrite) {
  const ws = api.readWorkspace(dir);
  let out = '';
  let err = '';
  const code = api.runFix(ws, api.analyze(ws.files, ws.config), { rules: [], dryRun: false, beforeWrite }, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

/** `bytes` with the 4 bytes at `at` replaced by `port`. */
const splice = (bytes, at, port) => Buffer.concat([bytes.subarray(0, at), Buffer.from(port), bytes.subarray(at + 4)]);

test('fix edits bytes: a BOM, CRLF line ends and multi-byte characters around the token stay byte for byte', () => {
  const dir = copy();
  const text = readFileSync(join(dir, STAGING), 'utf8').replace('kind: Deployment\n', 'kind: Deployment # café ☕ 😀 ünïcode\n');
  const before = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replaceAll('\n', '\r\n'), 'utf8')]);
  writeFileSync(join(dir, STAGING), before);
  const r = run(['fix', dir, '--rule', 'port-parity']);
  assert.equal(r.code, 0, r.err);
  const at = before.indexOf('containerPort: 8080 #') + 'containerPort: '.length;
  assert.ok(at > 20);
  const after = readFileSync(join(dir, STAGING));
  assert.ok(after.equals(splice(before, at, '4500')), `expected only bytes ${at}-${at + 4} to change`);
  // And the diff shows the line without its CR.
  assert.match(r.out, /-\s+- containerPort: 8080 # keep in sync with the Dockerfile\n\+\s+- containerPort: 4500 # keep in sync/);
});

test('fix refuses a file that is not valid UTF-8 (a Latin-1 byte), names it and where, leaves it byte-identical, fixes the others', () => {
  const dir = copy();
  const latin1 = Buffer.concat([Buffer.from('# r'), Buffer.from([0xe9]), Buffer.from('sum\u00e9\n', 'latin1'), readFileSync(join(dir, STAGING))]);
  writeFileSync(join(dir, STAGING), latin1);
  const compose = readFileSync(join(dir, 'docker-compose.yml'));
  const r = run(['fix', dir, '--rule', 'port-parity']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^port-parity: cannot fix deploy\/staging\/api\.yaml: it is not valid UTF-8 \(byte 0xE9 on line 1, offset 3\)/m);
  assert.doesNotMatch(r.err, /\n\s+at /);
  assert.ok(readFileSync(join(dir, STAGING)).equals(latin1));
  // The compose file (UTF-8) is still fixed, byte-exactly.
  const expected = splice(splice(compose, compose.indexOf(':8080"') + 1, '4500'), compose.indexOf('PORT: "8080"') + 7, '4500');
  assert.ok(readFileSync(join(dir, 'docker-compose.yml')).equals(expected));
  assert.match(r.out, /Changed 1 file for .* 1 file not fixed \(see above\)/);
  // check still reads it.
  assert.match(run(['check', dir, '--format', 'json']).out, /deploy\/staging\/api\.yaml/);
});

test('a line appended between the analysis and the write: the file keeps it, is named and left as it is', () => {
  const dir = copy();
  const r = fixInProcess(dir, (rel) => {
    if (rel === STAGING) appendFileSync(join(dir, STAGING), '# appended while fix ran\n');
  });
  assert.equal(r.code, 2);
  assert.match(r.err, /port-parity: cannot write deploy\/staging\/api\.yaml: it changed on disk since it was read; left as it is/);
  const now = readFileSync(join(dir, STAGING), 'utf8');
  assert.match(now, /containerPort: 8080 #/);
  assert.match(now, /# appended while fix ran\n$/);
  // The others were written.
  assert.match(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), /4500/);
});

test('a file swapped for a link to a file outside the folder during the run: the outside file is untouched', () => {
  const dir = copy();
  const outside = mkdtempSync(join(tmpdir(), 'pp-outside-'));
  const target = join(outside, 'api.yaml');
  const original = readFileSync(join(dir, STAGING));
  writeFileSync(target, original);
  const r = fixInProcess(dir, (rel) => {
    if (rel !== STAGING) return;
    rmSync(join(dir, STAGING));
    symlinkSync(target, join(dir, STAGING));
  });
  assert.equal(r.code, 2);
  assert.match(r.err, /port-parity: cannot write deploy\/staging\/api\.yaml: it is a symbolic link \(never followed\)/);
  assert.ok(readFileSync(target).equals(original));
});

test('a folder swapped for a link to a folder outside during the run: nothing outside is written', () => {
  const dir = copy();
  const outside = mkdtempSync(join(tmpdir(), 'pp-outside-'));
  cpSync(join(dir, 'deploy/staging'), outside, { recursive: true });
  const original = readFileSync(join(outside, 'api.yaml'));
  const r = fixInProcess(dir, (rel) => {
    if (rel !== STAGING) return;
    rmSync(join(dir, 'deploy/staging'), { recursive: true });
    symlinkSync(outside, join(dir, 'deploy/staging'));
  });
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot write deploy\/staging\/api\.yaml: it is outside the checked folder/);
  assert.ok(readFileSync(join(outside, 'api.yaml')).equals(original));
});

test('a file replaced by a folder during the run: one line naming it, no stack, the others written, exit 2', () => {
  const dir = copy();
  const r = fixInProcess(dir, (rel) => {
    if (rel !== STAGING) return;
    rmSync(join(dir, STAGING));
    mkdirSync(join(dir, STAGING));
  });
  assert.equal(r.code, 2);
  assert.equal(r.err, 'port-parity: cannot write deploy/staging/api.yaml: it is not a regular file; it was a regular file when it was read; left as it is\n');
  assert.match(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), /4500/);
});

test('a read-only file: checked before any write, named with "permission denied", the others written, exit 2', () => {
  const dir = copy();
  chmodSync(join(dir, STAGING), 0o444);
  const before = readFileSync(join(dir, STAGING));
  // Root writes a mode 444 file anyway: as root, the CLI runs as "nobody", who owns the copy.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assert.equal(spawnSync('chown', ['-R', '65534:65534', dir]).status, 0);
  const r = spawnSync(process.execPath, [CLI, 'fix', dir], { encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^port-parity: cannot write deploy\/staging\/api\.yaml: permission denied$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.ok(readFileSync(join(dir, STAGING)).equals(before));
  assert.match(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), /4500/);
});

test('a file system error reaching the CLI is one line without a stack, exit 2', () => {
  let err = '';
  const eio = () => {
    throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write', path: '/dev/stdout' });
  };
  const code = api.main(['check', WORKSPACE], eio, (s) => (err += s));
  assert.equal(code, 2);
  assert.equal(err, 'port-parity: /dev/stdout: input/output error\n');
});

test('fix keeps the mode of the file it rewrites', () => {
  const dir = copy();
  chmodSync(join(dir, STAGING), 0o640);
  assert.equal(run(['fix', dir]).code, 0);
  assert.match(readFileSync(join(dir, STAGING), 'utf8'), /containerPort: 4500 #/);
  assert.equal(statSync(join(dir, STAGING)).mode & 0o777, 0o640);
});

test('examples/shop: one fix run reaches a fixpoint; a second changes nothing and check has nothing left to fix', () => {
  const dir = copy(SHOP);
  const first = run(['fix', dir]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /Changed 7 files for \d+ findings in 2 rounds\./);
  // The dependent reference is in the same run's diff, compared with the original text.
  assert.match(first.out, /-\s+ORDERS_URL: http:\/\/orders:8080\n\+\s+ORDERS_URL: http:\/\/orders:9000/);
  const second = run(['fix', dir]);
  assert.equal(second.code, 0);
  assert.equal(second.out, 'Changed 0 files for 0 findings.\n');
  assert.equal(run(['check', dir, '--format', 'json']).code, 1);
  // Every fixable finding left has a fix that would change nothing.
  const ws = api.readWorkspace(dir);
  const texts = new Map(ws.files.map((f) => [f.path, f.text]));
  const fixable = new Set(api.RULES.filter((r) => r.fixable).map((r) => r.id));
  for (const f of api.analyze(ws.files, ws.config).findings) {
    if (!f.fix || !fixable.has(f.rule)) continue;
    for (const e of f.fix.edits) assert.equal(api.applyEdits(texts.get(e.loc.file), [e]).text, texts.get(e.loc.file), `${f.rule} ${f.message}`);
  }
});

test('the fix diff masks every URL password, in changed and in context lines, as check does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-pw-'));
  mkdirSync(join(dir, 'k8s'));
  writeFileSync(join(dir, 'docker-compose.yml'), `services:
  orders:
    image: shop/orders
    build: ./orders
    ports:
      - "19000:9000"
    environment:
      DB_URL: postgres://orders:pw-compose-1@db:5432/orders
  web:
    image: shop/web
    env_file:
      - web.env
    ports:
      - "18000:8000"
    environment:
      CACHE_URL: redis://default:pw-compose-2@cache:6379/0
      ORDERS_URL: http://svc:pw-compose-3@orders:8080
      AUDIT_URL: http://u:pw-compose-4@orders:8080/audit
      MIRROR: mongodb://m:pw-compose-5@orders:8080,orders:8080/db
  cache:
    image: redis:7
    ports:
      - "6379:6379"
`);
  writeFileSync(join(dir, 'web.env'), '# web settings\nADMIN_URL=http://root:pw-env-1@orders:8080/admin\nSTATS_URL=http://root:pw-env-2@orders:8080/stats\nPLAIN_DB=postgres://x:pw-env-3@db:5432/x\n');
  writeFileSync(join(dir, 'k8s/orders.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: {name: orders}
spec:
  selector: {matchLabels: {app: orders}}
  template:
    metadata: {labels: {app: orders}}
    spec:
      containers:
        - name: orders
          image: shop/orders
          ports:
            - containerPort: 9000
---
apiVersion: v1
kind: Service
metadata: {name: orders}
spec:
  selector: {app: orders}
  ports:
    - port: 9000
      targetPort: 9000
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: shop/web
          ports:
            - containerPort: 8000
          env:
            - name: DB_URL
              value: postgres://w:pw-k8s-1@db:5432/w
            - name: ORDERS_URL
              value: http://w:pw-k8s-2@orders:8080
            - name: AUDIT_URL
              value: "http://w:pw-k8s-3@orders:8080/audit"
`);
  const planted = ['pw-compose-2', 'pw-compose-3', 'pw-compose-4', 'pw-compose-5', 'pw-env-1', 'pw-env-2', 'pw-env-3', 'pw-k8s-1', 'pw-k8s-2', 'pw-k8s-3'];
  for (const args of [['fix', dir, '--dry-run'], ['fix', dir]]) {
    const r = run(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Changed 3 files|Would change 3 files/);
    // Each planted password's line is in the diff, masked.
    assert.equal((r.out.match(/:\*\*\*\*@/g) ?? []).length >= planted.length, true, r.out);
    for (const p of planted) {
      assert.ok(!r.out.includes(p), `${p} in the output of ${args.join(' ')}`);
      assert.ok(!r.err.includes(p), `${p} in the errors of ${args.join(' ')}`);
    }
  }
  // The file itself keeps its passwords: masking is for the output only.
  assert.match(readFileSync(join(dir, 'web.env'), 'utf8'), /root:pw-env-1@orders:9000/);
});

test('fix never writes through a link that was there before the run either (the walk skips it, and says nothing is fixed there)', () => {
  const dir = copy();
  const outside = mkdtempSync(join(tmpdir(), 'pp-outside-'));
  renameSync(join(dir, STAGING), join(outside, 'api.yaml'));
  const original = readFileSync(join(outside, 'api.yaml'));
  symlinkSync(join(outside, 'api.yaml'), join(dir, STAGING));
  run(['fix', dir]);
  assert.ok(readFileSync(join(outside, 'api.yaml')).equals(original));
});

test('fixes that would undo each other settle: the ports move first, what follows them next round (found by the fuzzer)', () => {
  // A shared Dockerfile is production's only port source (its Deployment lost its selector): one round
  // used to move staging to 8080 and the Dockerfile to 8081 at once, and back, for ever.
  const dir = copy(new URL('../fixtures/env-port-mismatch/invalid-shared-dockerfile-no-fix', import.meta.url).pathname);
  writeFileSync(join(dir, 'api/Dockerfile'), 'COPY . .\nENV PORT=8080\nEXPOSE 8080\nCMD ["node", "server.js", "--port", "8080"]\n');
  const prod = join(dir, 'k8s/production/api.yaml');
  writeFileSync(prod, readFileSync(prod, 'utf8').replace('    matchLabels:\n      app: api', '    matchLabels:\napp: api'));
  const first = run(['fix', dir]);
  assert.equal(first.code, 0, first.err);
  assert.equal(first.err, '');
  assert.match(readFileSync(join(dir, 'k8s/staging/api.yaml'), 'utf8'), /containerPort: 8080/);
  assert.match(readFileSync(join(dir, 'api/Dockerfile'), 'utf8'), /EXPOSE 8080/);
  assert.equal(run(['fix', dir]).out, 'Changed 0 files for 0 findings.\n');
});

test('applyEditsToBytes: edits that change the length, after astral and BMP characters, with CRLF, leave every other byte', () => {
  const text = '\ufeffa: 😀 é\r\nport: 80\r\nb: ☕ 8080 # ü\r\n';
  const bytes = Buffer.from(text, 'utf8');
  const edit = (from, to, newText) => ({ loc: { file: 'f', start: from, end: to, line: 0, col: 0, endLine: 0, endCol: 0 }, newText });
  const p1 = text.indexOf('80\r');
  const p2 = text.indexOf('8080');
  const r = api.applyEditsToBytes(bytes, text, [edit(p2, p2 + 4, '9'), edit(p1, p1 + 2, '12345')]);
  const b1 = bytes.indexOf('80\r');
  const b2 = bytes.indexOf('8080');
  const expected = Buffer.concat([bytes.subarray(0, b1), Buffer.from('12345'), bytes.subarray(b1 + 2, b2), Buffer.from('9'), bytes.subarray(b2 + 4)]);
  assert.ok(Buffer.from(r.bytes).equals(expected));
  assert.equal(r.text, Buffer.from(r.bytes).toString('utf8'));
});
