// Issue 15 point 9: workspace strings holding control characters (newline, ESC, BEL, OSC, C1, bidi
// overrides) in service names, environment names, file names and env values reach no output raw: text,
// matrix text and Markdown, GitHub workflow commands, the skipped-file notes; JSON keeps the exact values.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

// Real control bytes, written to the files as they are (not as YAML escapes).
const HOSTILE = ['we\nb', 'es\x1b[31mc', 'be\x07l', 'os\x1b]0;pwned\x07c', 'c1\x9b2J', 'bi\u202edi', 'ta\tb\rx', 'ps\u2028x'];
const ENV = 'pr\x1b[2Jod';
// Raw C0 bytes other than tab, newline and carriage return; DEL; C1; line separators; bidi controls.
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let root;

/** A compose stack (local) and Kubernetes manifests (the hostile environment) that disagree on every port. */
function hostileWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'pp-esc-'));
  let compose = 'services:\n';
  HOSTILE.forEach((name, i) => {
    // Keys with raw controls: double-quoted only where YAML needs it (a line break or tab is not plain).
    const key = /[\n\r\t\u2028]/.test(name) ? JSON.stringify(name).replace(/\\u001b/g, '\x1b') : name;
    compose += `  ${key}:\n    image: x\n    ports: ["${18000 + (i % 2)}:${9000 + i}"]\n    environment:\n      PEER_URL: "http://${HOSTILE[(i + 1) % HOSTILE.length].replace(/[\n\r\t\u2028]/g, '')}:1${i}"\n`;
  });
  writeFileSync(join(dir, 'docker-compose.yml'), compose);
  mkdirSync(join(dir, 'deploy'));
  let k8s = '';
  HOSTILE.forEach((name, i) => {
    const n = JSON.stringify(name).replace(/\\u001b/g, '\x1b').replace(/\\u0007/g, '\x07');
    k8s += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}}\nspec:\n  selector: {matchLabels: {app: a${i}}}\n  template:\n    metadata: {labels: {app: a${i}}}\n    spec:\n      containers:\n        - name: c\n          ports: [{containerPort: ${9100 + i}}]\n`;
  });
  // A file name with a newline and an ESC, in the hostile environment too.
  writeFileSync(join(dir, 'deploy', 'k8s.yaml'), k8s);
  writeFileSync(join(dir, 'deploy', 'new\nline\x1b[1m.yaml'), `apiVersion: v1\nkind: Service\nmetadata: {name: lone}\nspec:\n  selector: {app: nobody}\n  ports: [{port: 80, targetPort: "we\x1bb"}]\n`);
  // Too large for the limit below: a skipped-file note whose name holds an OSC sequence.
  writeFileSync(join(dir, 'deploy', 'big\x1b]8;;x\x07.yaml'), `# ${'x'.repeat(5000)}\n`);
  writeFileSync(join(dir, '.portparity.yaml'), `maxFileSize: 4096\nenvironments:\n  "${ENV.replace('\x1b', '\\e')}": "deploy/**"\n`);
  return dir;
}

function cli(...args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.error, undefined);
  return r;
}

before(() => {
  root = hostileWorkspace();
});

const assertClean = (s, what) => {
  const m = RAW.exec(s);
  assert.equal(m, null, `${what} holds a raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(s.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
};

test('the JSON report keeps every hostile name exactly (the fixture does produce them)', () => {
  const r = cli('check', root, '--format', 'json', '--fail-on', 'never');
  assert.equal(r.status, 0, r.stderr);
  assertClean(r.stdout, 'check --format json');
  const report = JSON.parse(r.stdout);
  for (const name of HOSTILE) assert.ok(report.services.some((s) => s.name === name), `service ${JSON.stringify(name)} in ${JSON.stringify(report.services.map((s) => s.name))}`);
  // Environment names are normalised to lower case.
  assert.ok(report.environments.includes(ENV.toLowerCase()), JSON.stringify(report.environments));
  assert.ok(report.findings.some((f) => f.message.includes('\x1b')), 'some finding message holds an ESC');
  assert.ok(report.findings.some((f) => f.message.includes('\n')), 'some finding message holds a newline');
  assert.ok(report.findings.some((f) => f.file.includes('\n')), 'some finding is in the file whose name holds a newline');
  const m = cli('matrix', root, '--format', 'json');
  assertClean(m.stdout, 'matrix --format json');
  assert.ok(JSON.parse(m.stdout).rows.some((x) => x.service === 'bi\u202edi'));
  const s = cli('check', root, '--format', 'sarif', '--fail-on', 'never');
  assertClean(s.stdout, 'check --format sarif');
  assert.ok(JSON.parse(s.stdout).runs[0].results.length === report.findings.length);
});

test('check text shows control characters as escapes, one line per finding', () => {
  const report = JSON.parse(cli('check', root, '--format', 'json', '--fail-on', 'never').stdout);
  const r = cli('check', root, '--fail-on', 'never');
  assertClean(r.stdout, 'check text');
  assert.ok(!/[\t\r]/.test(r.stdout), 'no raw tab or carriage return');
  const files = new Set(report.findings.map((f) => f.file));
  // A header, the findings and a blank line per file, then the summary and, if some finding has a fix, the fix hint: no line more.
  assert.equal(r.stdout.trimEnd().split('\n').length, files.size * 2 + report.findings.length + 1 + (report.findings.some((f) => f.fix) ? 1 : 0), r.stdout);
  assert.match(r.stdout, /es\\x1b\[31mc/);
  assert.match(r.stdout, /we\\nb/);
  assert.match(r.stdout, /deploy\/new\\nline\\x1b\[1m\.yaml/);
  // The note for the skipped file goes to stderr, escaped.
  assertClean(r.stderr, 'stderr');
  assert.match(r.stderr, /^port-parity: skipped deploy\/big\\x1b\]8;;x\\x07\.yaml: larger than 4096 bytes$/m);
});

test('matrix text and Markdown show control characters as escapes, one line per service', () => {
  const json = JSON.parse(cli('matrix', root, '--format', 'json').stdout);
  const callers = json.rows.filter((r) => r.callers.length).length;
  const expected = 2 + json.rows.length + 1 + (callers ? callers + 2 : 0) + 1;
  for (const format of ['text', 'markdown']) {
    const r = cli('matrix', root, '--format', format);
    assert.equal(r.status, 0, r.stderr);
    assertClean(r.stdout, `matrix ${format}`);
    assertClean(r.stderr, `matrix ${format} stderr`);
    assert.ok(!/[\t\r]/.test(r.stdout), 'no raw tab or carriage return');
    assert.equal(r.stdout.trimEnd().split('\n').length, expected, r.stdout);
    for (const shown of ['we\\nb', 'os\\x1b]0;pwned\\x07c', 'c1\\x9b2J', 'bi\\u202edi', 'ta\\tb\\rx', 'ps\\u2028x', 'pr\\x1b[2jod']) assert.ok(r.stdout.includes(shown), `${shown} in\n${r.stdout}`);
  }
});

test('Markdown escapes a | in a service name, so the table keeps its columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-esc-'));
  writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  "a|b":\n    image: x\n    ports: ["80:8080"]\n');
  const r = cli('matrix', dir, '--format', 'markdown');
  const row = r.stdout.split('\n').find((l) => l.includes('a\\|b'));
  assert.ok(row, r.stdout);
  assert.equal(row.split(/(?<!\\)\|/).length, r.stdout.split('\n')[0].split('|').length, r.stdout);
});

test('--format github writes exactly one workflow command per finding, with controls escaped', () => {
  const report = JSON.parse(cli('check', root, '--format', 'json', '--fail-on', 'never').stdout);
  const r = cli('check', root, '--format', 'github', '--fail-on', 'never');
  assertClean(r.stdout, 'github');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, report.findings.length, r.stdout);
  assert.equal(lines.filter((l) => /^::(error|warning|notice) /.test(l)).length, report.findings.length, r.stdout);
  // Each line is one command: properties then `::` then the message; no `::` inside a property.
  for (const l of lines) assert.match(l, /^::(error|warning|notice) file=[^:,]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=port-parity [a-z-]+::/, l);
  assert.ok(lines.some((l) => l.includes('file=deploy/new\\nline\\x1b[1m.yaml,')), r.stdout);
  assert.ok(lines.some((l) => l.includes('es\\x1b[31mc')), r.stdout);
});
