// `port-parity local`: the override it writes makes `check` see the local containers on production's
// internal ports (no port-parity drift for the services it aligned), keeps published host ports, lists
// what it could not align, and never overwrites a file it did not write, through a link or outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const OVERRIDE = 'compose.override.production.yaml';

function run(dir, args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A production Deployment whose container declares `port` (and a readiness probe on it). */
const deployment = (name, port) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: ${name}
          image: ${name}
          ports: [{containerPort: ${port}}]
          readinessProbe: {tcpSocket: {port: ${port}}}
`;
const PRODUCTION = [deployment('api', 8000), deployment('web', 8080), deployment('worker', 7100)].join('---\n');

/** api moves by its PORT, its command flag, its mapping and healthcheck; web by its mapping; web calls api. */
function workspace({ compose } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pp-local-'));
  writeFileSync(join(dir, 'compose.yaml'), compose ?? `services:
  api:
    build: ./api
    command: ["node", "server.js", "--port", "3000"]
    ports: ["127.0.0.1:8080:3000"]
    environment:
      PORT: "3000"
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:3000/health"]
      interval: 5s
  web:
    image: nginx
    ports: ["80:80"]
    environment:
      API_URL: http://api:3000/v1
  worker:
    build: ./worker
    ports: ["7000:7000"]
  db:
    image: postgres
`);
  mkdirSync(join(dir, 'deploy/production'), { recursive: true });
  mkdirSync(join(dir, 'worker'));
  writeFileSync(join(dir, 'worker/Dockerfile'), 'FROM python:3.12\nCMD ["gunicorn", "--bind", "0.0.0.0:7000", "app:app"]\n');
  writeFileSync(join(dir, 'deploy/production/app.yaml'), PRODUCTION);
  return dir;
}

function portParity(dir) {
  const r = run(dir, ['check', '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out).findings.filter((f) => f.rule === 'port-parity');
}

function matrix(dir) {
  const r = run(dir, ['matrix', '--format', 'json']);
  return Object.fromEntries(JSON.parse(r.out).rows.filter((x) => x.variant === undefined).map((x) => [x.service, x.cells.map((c) => c.ports.join(','))]));
}

test('the override aligns api and web: check then reports no port-parity drift for them, host ports stay', () => {
  const dir = workspace();
  assert.deepEqual(portParity(dir).map((f) => f.service).sort(), ['api', 'web', 'worker']);
  const r = run(dir, ['local', '--env', 'production']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote compose\.override\.production\.yaml: api, web/);
  assert.match(r.out, /worker: .*7000 \(worker\/Dockerfile:2\) is not something a compose override can change/);
  assert.match(r.out, /db: production does not run it/);
  const text = readFileSync(join(dir, OVERRIDE), 'utf8');
  assert.match(text, /^# Written by port-parity local\./);
  assert.match(text, /ports: !override \["127\.0\.0\.1:8080:8000"\]/);
  assert.match(text, /command: \["node","server\.js","--port","8000"\]/);
  assert.match(text, /test: \["CMD","curl","-f","http:\/\/localhost:8000\/health"\]/);
  assert.match(text, /"API_URL": "http:\/\/api:8000\/v1"/);
  assert.match(text, /"PORT": "8000"/);
  // Beside the project, unlisted, it is not applied: `docker compose up` does not read it, so the drift stays.
  assert.deepEqual(portParity(dir).map((f) => f.service).sort(), ['api', 'web', 'worker']);
  assert.match(run(dir, ['explain', '--files']).out, /compose\.override\.production\.yaml\b.*Compose runs it only with -f or COMPOSE_FILE/);
  // Applied, as the header's `docker compose -f … -f` line runs it.
  writeFileSync(join(dir, '.env'), `COMPOSE_FILE=compose.yaml:${OVERRIDE}\n`);
  assert.deepEqual(portParity(dir).map((f) => f.service), ['worker']);
  const m = matrix(dir);
  assert.equal(m.api[0], m.api[1]);
  assert.equal(m.web[0], '8080');
  // Nothing else complains about what the override moved (the caller's address, the healthcheck).
  const all = JSON.parse(run(dir, ['check', '--format', 'json', '--fail-on', 'never']).out).findings;
  assert.deepEqual(all.filter((f) => f.file === OVERRIDE), []);
});

test('an override local wrote is applied under the name Compose reads by itself, compose.override.yaml', () => {
  const dir = workspace();
  assert.equal(run(dir, ['local', '--env', 'production']).code, 0);
  writeFileSync(join(dir, 'compose.override.yaml'), readFileSync(join(dir, OVERRIDE)));
  rmSync(join(dir, OVERRIDE));
  assert.deepEqual(portParity(dir).map((f) => f.service), ['worker']);
});

test('a second run rewrites its own file; a file it did not write, a link, or --out outside are refused', () => {
  const dir = workspace();
  assert.equal(run(dir, ['local', '--env', 'production']).code, 0);
  assert.equal(run(dir, ['local', '--env', 'production']).code, 0, 'its own file is rewritten');
  const mine = join(dir, OVERRIDE);
  writeFileSync(mine, 'services: {}\n');
  const r = run(dir, ['local', '--env', 'production']);
  assert.equal(r.code, 2);
  assert.match(r.err, /port-parity did not write it/);
  assert.equal(readFileSync(mine, 'utf8'), 'services: {}\n');

  const linked = workspace();
  const outside = join(mkdtempSync(join(tmpdir(), 'pp-local-out-')), 'target.yaml');
  writeFileSync(outside, '# Written by port-parity local. (a decoy)\n');
  symlinkSync(outside, join(linked, OVERRIDE));
  const l = run(linked, ['local', '--env', 'production']);
  assert.equal(l.code, 2);
  assert.match(l.err, /symbolic link/);
  assert.equal(readFileSync(outside, 'utf8'), '# Written by port-parity local. (a decoy)\n');

  const o = run(dir, ['local', '--env', 'production', '--out', outside]);
  assert.equal(o.code, 2);
  assert.match(o.err, /outside the workspace/);
  const u = run(dir, ['local', '--env', 'staging']);
  assert.equal(u.code, 2);
  assert.match(u.err, /no environment named staging/);
});

test('--out writes where asked; --print writes nothing', () => {
  const dir = workspace();
  const p = run(dir, ['local', '--env', 'production', '--print']);
  assert.equal(p.code, 0);
  assert.match(p.out, /^# compose\.override\.production\.yaml\n# Written by port-parity local\./);
  assert.equal(existsSync(join(dir, OVERRIDE)), false);
  const o = run(dir, ['local', '--env', 'production', '--out', 'ports.prod.override.yaml']);
  assert.equal(o.code, 0, o.err);
  assert.match(readFileSync(join(dir, 'ports.prod.override.yaml'), 'utf8'), /^# Written by port-parity local\./);
});

const COMPOSE_V1 = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });

test('docker-compose reads the override over the project: the moved port, command, healthcheck and variables', { skip: COMPOSE_V1.status === 0 ? false : 'docker-compose is not installed here: the override is not validated by Compose' }, (t) => {
  // Without port mappings nothing needs `!override` (docker-compose 1.x cannot read the tag).
  const dir = workspace({ compose: `services:
  api:
    build: ./api
    command: ["node", "server.js", "--port", "3000"]
    expose: []
    environment:
      PORT: "3000"
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:3000/health"]
      interval: 5s
` });
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api/Dockerfile'), 'FROM node:20\nEXPOSE 3000\nCMD ["node", "server.js"]\n');
  const r = run(dir, ['local', '--env', 'production']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(readFileSync(join(dir, OVERRIDE), 'utf8'), /!override/);
  const c = spawnSync('docker-compose', ['-f', 'compose.yaml', '-f', OVERRIDE, 'config'], { cwd: dir, encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /PORT: '8000'/);
  assert.match(c.stdout, /- --port\n\s+- '8000'/);
  assert.match(c.stdout, /http:\/\/localhost:8000\/health/);
  assert.match(c.stdout, /interval: 5s/);
  assert.match(c.stdout, /expose:\n\s+- '8000'/);
  // Port Parity reads the project as that command does.
  writeFileSync(join(dir, '.env'), `COMPOSE_FILE=compose.yaml:${OVERRIDE}\n`);
  assert.deepEqual(portParity(dir).map((f) => f.service), []);
  const major = /version (\d+)\./.exec(COMPOSE_V1.stdout)?.[1];
  if (major === '1') t.diagnostic('docker-compose 1.x cannot read ports: !override (Compose 2.24.4+): the remapped-ports override is checked by Port Parity\'s own compose merge only');
});
