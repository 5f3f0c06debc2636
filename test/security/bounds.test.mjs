// Issue 15 point 11: the work per file is bounded (server/src/core/limits.ts), with a note where a bound is hit,
// so that a raised maxFileSize cannot take the machine; repeats collapse instead of multiplying the output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

/** A workspace with maxFileSize raised, as the reproductions had it. */
function workspace(files) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-bounds-'));
  writeFileSync(join(dir, '.portparity.yaml'), 'maxFileSize: 100000000\n');
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
  return dir;
}

/** `check --format json`; it must finish well within 20 s (it used to run past 120 s on such inputs). */
function check(dir) {
  const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', timeout: 20000, maxBuffer: 1 << 30 });
  assert.equal(r.signal, null, 'check did not finish within 20 s');
  assert.equal(r.status, 0, r.stderr);
  return { report: JSON.parse(r.stdout), bytes: r.stdout.length };
}

const notes = (report, re) => report.findings.filter((f) => f.rule === 'skipped-source' && re.test(f.message));

test('a compose file of 12,000 services: the first 10,000 are read and the 10,001st is where a note says the rest is not', () => {
  const services = Array.from({ length: 12000 }, (_, i) => `  svc${i}:\n    image: img${i}\n    ports:\n      - "${10000 + i}:80"\n`).join('');
  const { report } = check(workspace({ 'compose.yaml': `services:\n${services}` }));
  assert.equal(report.services.length, 10000);
  assert.ok(report.services.some((s) => s.name === 'svc9999'));
  assert.ok(!report.services.some((s) => s.name === 'svc10000'));
  const [note, ...more] = notes(report, /only the first 10000 entries of a YAML list or map are read/);
  assert.equal(more.length, 0);
  assert.equal(note.file, 'compose.yaml');
  assert.equal(note.line, 2 + 10000 * 4);
});

test('a file past a million YAML tokens is read up to there, with a note at the line where reading stopped and no syntax error', () => {
  const pad = `x-pad: [${Array(600000).fill('a').join(',')}]\n`;
  const { report } = check(workspace({ 'compose.yaml': `services:\n  api:\n    image: api\n    ports: ["8080:80"]\n${pad}  late:\n    image: late\n` }));
  const [note] = notes(report, /only the first 1000000 YAML tokens of this file are read: what follows is not checked/);
  assert.ok(note, JSON.stringify(report.findings.slice(0, 5)));
  assert.equal(note.line, 5);
  assert.ok(report.services.some((s) => s.name === 'api'));
  assert.ok(!report.findings.some((f) => /YAML syntax error/.test(f.message)), JSON.stringify(report.findings.slice(0, 5)));
});

test('a manifest of more than 10,000 YAML documents: the first 10,000 are read, a note at the next', () => {
  const doc = (i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports:\n    - port: 80\n`;
  const text = Array.from({ length: 10002 }, (_, i) => doc(i)).join('---\n');
  const { report } = check(workspace({ 'svc.yaml': text }));
  const [note] = notes(report, /only the first 10000 YAML documents of this file are read/);
  assert.ok(note);
  // At the `---` that starts the 10,001st document.
  assert.equal(note.line, 10000 * 8);
});

test('EXPOSE 80 80 80 … (1 MB): port 80 is listed once; a bad word repeated is one problem with a count; past 1,000 ports, a note', () => {
  const words = ' 80'.repeat(330000);
  const { report, bytes } = check(workspace({ Dockerfile: `FROM x\nEXPOSE${words}\nEXPOSE x x x\n` }));
  assert.ok(bytes < 100000, `${bytes} bytes of JSON`);
  // The root Dockerfile's service goes by the workspace's name (its temporary folder's): the only service.
  assert.equal(report.services.length, 1);
  const [svc] = report.services;
  assert.deepEqual(svc.ports.map((p) => [p.port, p.locations.length]), [[80, 1]]);
  const bad = report.findings.filter((f) => f.rule === 'invalid-port');
  assert.equal(bad.length, 1);
  assert.equal(bad[0].message, 'EXPOSE x is not a port number (1-65535) (3 times in this EXPOSE)');

  const many = Array.from({ length: 1200 }, (_, i) => String(1000 + i)).join(' ');
  const r2 = check(workspace({ Dockerfile: `FROM x\nEXPOSE ${many}\n` })).report;
  const [note] = notes(r2, /only the first 1000 ports EXPOSE lists in this stage are read/);
  assert.ok(note);
  assert.equal(note.column, 8 + 1000 * 5);
  assert.equal(r2.services[0].ports.length, 1000);
});

test('a message that quotes a 100,000-character token is cut to 1,000 characters, saying how much is left out', () => {
  const { report } = check(workspace({ Dockerfile: `FROM x\nEXPOSE ${'['.repeat(100000)}\n` }));
  const [f] = report.findings;
  assert.ok(f.message.length < 1100, `${f.message.length} characters`);
  assert.match(f.message, /… \(\d+ more characters\)$/);
});

test('8,000 compose services publishing the whole port range, TCP and UDP, finish (what a service serves is only expanded for a healthcheck)', () => {
  const services = Array.from({ length: 8000 }, (_, i) => `  s${i}:\n    image: i\n    ports: ["1-65535:1-65535", "1-65535:1-65535/udp"]\n`).join('');
  const { report } = check(workspace({ 'compose.yaml': `services:\n${services}` }));
  assert.equal(report.services.length, 8000);
});

test('a Dockerfile past 2,097,152 characters is read in whole lines up to there; a .env file past 10,000 variables up to there; each with a note', () => {
  const { report } = check(workspace({
    Dockerfile: `FROM x\nEXPOSE 8080\nRUN ${'x'.repeat(2100000)}\nEXPOSE 9090\n`,
    '.env': Array.from({ length: 10005 }, (_, i) => `V${i}=${i + 1}\n`).join(''),
  }));
  const [df] = notes(report, /only the first 2097152 characters of this Dockerfile are read: from line 3 on, nothing is checked/);
  assert.equal(df?.line, 3);
  assert.equal(report.services.length, 1);
  const ports = report.services[0].ports.map((p) => p.port);
  assert.deepEqual(ports, [8080]);
  const [env] = notes(report, /only the first 10000 variables of this file are read/);
  assert.equal(env?.file, '.env');
  assert.equal(env?.line, 10001);
});
