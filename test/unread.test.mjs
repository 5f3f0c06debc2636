// Every file found is accounted for: it makes up services, or a skipped-source note says why it is not
// read (it looks like deployment configuration), or `explain --files` and the report list it (it is
// plainly something else: no finding, no noise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

function run(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function workspace(files) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-unread-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const SANE = {
  'compose.yaml': 'services:\n  api:\n    build: .\n    ports: ["8080:8080"]\n',
  Dockerfile: 'FROM node\nEXPOSE 8080\n',
  '.github/workflows/ci.yml': 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n        ports: ["5432:5432"]\n    steps:\n      - run: echo ${{ github.sha }}\n',
  '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n',
  'mkdocs.yml': 'site_name: Docs\n',
  'k8s/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: api\n',
};

test('a sane repository stays quiet: workflows, linters\' settings and a Namespace are listed, never reported', () => {
  const dir = workspace(SANE);
  const json = run(['check', dir, '--format', 'json']);
  assert.equal(json.code, 0, json.err);
  const report = JSON.parse(json.out);
  assert.deepEqual(report.findings, []);
  const unused = Object.fromEntries(report.unused.map((u) => [u.file, u]));
  assert.deepEqual(Object.keys(unused).sort(), ['.github/workflows/ci.yml', '.pre-commit-config.yaml', 'k8s/namespace.yaml', 'mkdocs.yml']);
  assert.equal(unused['mkdocs.yml'].status, 'not read');
  assert.equal(unused['mkdocs.yml'].reported, false);
  assert.equal(unused['k8s/namespace.yaml'].status, 'nothing to check');
  assert.match(unused['k8s/namespace.yaml'].reason, /\(Namespace\)/);
  // Text: one closing clause, no line per file.
  const text = run(['check', dir]);
  assert.equal(text.out.trimEnd().split('\n').length, 1, text.out);
  assert.match(text.out, /; 4 files found give nothing to check \(3 not deployment configuration, 1 only Kubernetes kinds Port Parity does not read\): explain --files says why$/m);
  // SARIF: nothing for what is only listed.
  assert.deepEqual(JSON.parse(run(['check', dir, '--format', 'sarif']).out).runs[0].results, []);
});

test('explain --files lists every file found with the services it makes up, or why it gives nothing', () => {
  const dir = workspace({ ...SANE, 'docker-stack.yml': 'services:\n  web:\n    image: web\n    ports: ["80:80"]\n' });
  const r = run(['explain', dir, '--files']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Files that make up services or are checked \(2\):\n {2}compose\.yaml: read: makes up api\n {2}Dockerfile: read: makes up api\n/m);
  assert.match(r.out, /^Files read with nothing to check \(1\):\n {2}k8s\/namespace\.yaml: no object of a kind Port Parity reads ports from \(Namespace\)$/m);
  assert.match(r.out, /^Files not read, each with a skipped-source note \(1\):\n {2}docker-stack\.yml: docker-stack\.yml has Compose's shape/m);
  assert.match(r.out, /^ {2}mkdocs\.yml: YAML that is neither Kubernetes nor Compose$/m);
  for (const bad of [['explain', dir, '--files', '--service', 'api'], ['check', dir, '--files']]) {
    const u = run(bad);
    assert.equal(u.code, 2, bad.join(' '));
    assert.match(u.err, /^port-parity: .*--files/);
  }
});

test('a file the walk passes over is a skipped-source note at its first line; a link to a file read there is only listed', () => {
  const dir = workspace({ 'deploy/compose.yaml': 'services:\n  api:\n    image: api\n    ports: ["80:80"]\n', '.portparity.yaml': 'maxFileSize: 64\n', 'k8s/big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: "${'x'.repeat(100)}"\n` });
  symlinkSync('deploy/compose.yaml', join(dir, 'docker-compose.yml'));
  const report = JSON.parse(run(['check', dir, '--format', 'json']).out);
  const notes = report.findings.filter((f) => f.rule === 'skipped-source');
  assert.deepEqual(notes.map((f) => [f.file, f.line, f.severity]), [['k8s/big.yaml', 1, 'info']]);
  assert.match(notes[0].message, /^k8s\/big\.yaml is not read \(larger than 64 bytes\): its ports are not checked$/);
  const link = report.unused.find((u) => u.file === 'docker-compose.yml');
  assert.deepEqual(link, { file: 'docker-compose.yml', status: 'not read', reason: 'a symbolic link to deploy/compose.yaml, read there: not followed', reported: false });
  // .portparity.yaml is the configuration: it makes up nothing and is not "unused".
  assert.ok(!report.unused.some((u) => u.file === '.portparity.yaml'));
  // Another folder's is listed as such.
  writeFileSync(join(dir, 'deploy/.portparity.yaml'), 'reference: local\n');
  const again = JSON.parse(run(['check', dir, '--format', 'json']).out);
  assert.deepEqual(again.unused.find((u) => u.file === 'deploy/.portparity.yaml'), { file: 'deploy/.portparity.yaml', status: 'not read', reason: 'Port Parity\'s configuration of deploy/, read when that folder is checked', reported: false });
});

test('a template outside a chart, an unparsable manifest and a binary Dockerfile say why they are not read; a chart\'s templates make up its services', () => {
  const dir = workspace({
    'deploy/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n    - port: {{ .Env.PORT }}\n',
    'broken/deployment.yaml': 'apiVersion: v1\nkind: Service\n  bad: indent\nspec: {}\n',
    'partly/deployment.yaml': 'apiVersion: v1\n\tkind: Service\n',
    'bin/Dockerfile': 'FROM x\u0000\u0001',
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'chart/values.yaml': 'port: 8080\n',
    'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n          ports:\n            - containerPort: {{ .Values.port }}\n',
  });
  const report = JSON.parse(run(['check', dir, '--format', 'json']).out);
  const notes = Object.fromEntries(report.findings.filter((f) => f.rule === 'skipped-source').map((f) => [f.file, f]));
  assert.deepEqual(Object.keys(notes).sort(), ['bin/Dockerfile', 'broken/deployment.yaml', 'deploy/svc.yaml', 'partly/deployment.yaml']);
  assert.match(notes['deploy/svc.yaml'].message, /a template .* outside a Helm chart/);
  assert.equal(notes['deploy/svc.yaml'].line, 7);
  assert.match(notes['broken/deployment.yaml'].message, /reads like a Kubernetes manifest but is not valid YAML/);
  assert.match(notes['partly/deployment.yaml'].message, /is not valid YAML here \(Tabs are not allowed as indentation\): what the parser could not read is not checked/);
  assert.equal(notes['partly/deployment.yaml'].line, 2);
  assert.match(notes['bin/Dockerfile'].message, /is a binary file/);
  const files = run(['explain', dir, '--files']).out;
  assert.match(files, /^ {2}chart\/templates\/deployment\.yaml: read by its Helm chart's render: makes up web$/m);
});
