// Chart archives (`charts/redis-1.2.3.tgz`, what `helm dependency build` leaves): the host reads them in
// memory as the files they hold, the chart renders them as subcharts, nothing inside is ever edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import api from '../dist/api.js';
import { tar, tgz, writeTree } from './helm-tar.mjs';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

const deployment = (name, port) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: ${name}\n          ports:\n            - containerPort: ${port}\n`;

const REDIS = {
  'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 17.3.2\n',
  'redis/values.yaml': 'port: 6379\nservice:\n  port: 6379\n',
  'redis/templates/deployment.yaml': deployment('{{ .Release.Name }}-redis', '{{ .Values.port }}'),
  'redis/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-redis\nspec:\n  selector: {app: "{{ .Release.Name }}-redis"}\n  ports:\n    - port: {{ .Values.service.port }}\n      targetPort: 6380\n',
};

function workspace(t, files) {
  const root = mkdtempSync(join(tmpdir(), 'pp-tgz-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return writeTree(root, files);
}

const APP = {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 17.3.2\n    repository: https://charts.example.com\n',
  'app/values.yaml': 'redis:\n  port: 6390\n',
  'app/templates/app.yaml': deployment('app', 8080),
};

function check(root, extra = []) {
  const r = spawnSync(process.execPath, [CLI, 'check', root, '--format', 'json', '--fail-on', 'never', ...extra], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the walk reads a chart archive under charts/ as its chart files, at <archive>/<entry>; one elsewhere (a chart repository\'s charts/ with no Chart.yaml above) is not read', (t) => {
  const root = workspace(t, { ...APP, 'app/charts/redis-17.3.2.tgz': tgz(REDIS), 'backup/redis-17.3.2.tgz': tgz(REDIS), 'repo/charts/redis-17.3.2.tgz': tgz(REDIS) });
  const ws = api.readWorkspace(root);
  const paths = ws.files.map((f) => f.path).filter((p) => p.includes('.tgz'));
  assert.deepEqual(paths.sort(), ['app/charts/redis-17.3.2.tgz/redis/Chart.yaml', 'app/charts/redis-17.3.2.tgz/redis/templates/deployment.yaml', 'app/charts/redis-17.3.2.tgz/redis/templates/service.yaml', 'app/charts/redis-17.3.2.tgz/redis/values.yaml']);
  assert.deepEqual(ws.skipped, []);
});

test('an archived subchart renders inside its parent with the parent\'s values; the value the parent sets stays in the parent\'s file', (t) => {
  const root = workspace(t, { ...APP, 'app/charts/redis-17.3.2.tgz': tgz(REDIS) });
  const report = check(root);
  // No "dependency redis is not in charts/" note: the archive is the dependency.
  assert.deepEqual(report.findings.filter((f) => f.rule === 'skipped-source').map((f) => f.message), []);
  // The Service's targetPort 6380 misses the container's 6390: located in the archive (read-only) or the parent's values.
  const stp = report.findings.filter((f) => f.rule === 'service-target-port');
  assert.equal(stp.length, 1, JSON.stringify(report.findings));
  assert.equal(stp[0].file, 'app/charts/redis-17.3.2.tgz/redis/templates/service.yaml');
  assert.equal(stp[0].fix ?? null, null, 'no fix writes into an archive');
  const facts = api.extractAll(api.readWorkspace(root).files).filter((f) => f.renderedFrom);
  const redis = facts[0].workloads.find((w) => w.name === 'app-redis');
  const port = redis.containers[0].ports[0].containerPort;
  assert.equal(port.port, 6390);
  assert.equal(port.loc.file, 'app/values.yaml');
  assert.equal(port.literal, true, 'the parent\'s own values file is editable as ever');
  const svc = facts[0].services.find((s) => s.name === 'app-redis');
  assert.equal(svc.ports[0].port.loc.file, 'app/charts/redis-17.3.2.tgz/redis/values.yaml');
  assert.equal(svc.ports[0].port.literal, false, 'a value written in the archive is not editable');
});

test('port-parity fix leaves an archive as it is and fixes what the parent writes', (t) => {
  const bytes = tgz(REDIS);
  const root = workspace(t, { ...APP, 'app/values-staging.yaml': 'redis:\n  port: 6390\n', 'app/values-prod.yaml': 'redis:\n  port: 6391\n', 'app/charts/redis-17.3.2.tgz': bytes });
  const before = check(root).findings.map((f) => [f.rule, f.file]);
  assert.ok(before.some(([rule, file]) => rule === 'port-parity' && file === 'app/values-staging.yaml'), JSON.stringify(before));
  const r = spawnSync(process.execPath, [CLI, 'fix', root], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.ok(readFileSync(join(root, 'app/charts/redis-17.3.2.tgz')).equals(bytes), 'the archive is untouched');
  assert.equal(readFileSync(join(root, 'app/values-staging.yaml'), 'utf8'), 'redis:\n  port: 6391\n');
});

test('a broken, oversized or escaping archive is a skipped-source note at the .tgz, never a crash', (t) => {
  const big = Buffer.alloc(60 * 1024 * 1024, 0x61);
  const root = workspace(t, {
    ...APP,
    'app/charts/broken-1.0.0.tgz': Buffer.from('not gzip at all'),
    'app/charts/cut-1.0.0.tgz': gzipSync(tar(REDIS).subarray(0, 700)),
    'app/charts/bomb-1.0.0.tgz': gzipSync(tar({ 'bomb/Chart.yaml': 'name: bomb\n', 'bomb/big.bin': big })),
    'app/charts/escape-1.0.0.tgz': tgz({ '../../evil/Chart.yaml': 'name: evil\n' }),
  });
  const notes = check(root).findings.filter((f) => f.rule === 'skipped-source').map((f) => [f.file, f.line, f.message]);
  const at = (name) => notes.find((n) => n[0] === `app/charts/${name}`);
  assert.match(at('broken-1.0.0.tgz')[2], /not a readable gzip archive/);
  assert.match(at('cut-1.0.0.tgz')[2], /cut short|truncated/);
  assert.match(at('bomb-1.0.0.tgz')[2], /unpacks to more than \d+ bytes/);
  assert.match(at('escape-1.0.0.tgz')[2], /leaves its folder/);
  for (const n of notes.filter((x) => x[0].endsWith('.tgz'))) assert.equal(n[1], 1);
});

test('long names (pax headers) and archives inside an archive\'s charts/ are read; a member past the size limit is said at its path', (t) => {
  const long = `redis/templates/${'x'.repeat(120)}.yaml`;
  const inner = tgz({ 'common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 1.0.0\n', 'common/templates/c.yaml': deployment('common', 7000) });
  const root = workspace(t, { ...APP, 'app/charts/redis-17.3.2.tgz': tgz({ ...REDIS, [long]: deployment('long', 7100), 'redis/charts/common-1.0.0.tgz': inner, 'redis/templates/huge.yaml': `# ${'y'.repeat(3000)}\n` }), '.portparity.yaml': 'maxFileSize: 2048\n' });
  const ws = api.readWorkspace(root);
  const paths = ws.files.map((f) => f.path);
  assert.ok(paths.includes(`app/charts/redis-17.3.2.tgz/${long}`));
  assert.ok(paths.includes('app/charts/redis-17.3.2.tgz/redis/charts/common-1.0.0.tgz/common/templates/c.yaml'));
  assert.deepEqual(ws.skipped.map((s) => s.path), ['app/charts/redis-17.3.2.tgz/redis/templates/huge.yaml']);
  const names = api.extractAll(ws.files).filter((f) => f.renderedFrom).flatMap((f) => f.workloads.map((w) => w.name));
  assert.deepEqual(names.sort(), ['app', 'app-redis', 'common', 'long']);
});
