// Compose projects as Compose reads them: extends, include and profiles, seen in the model they make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import core from '../../dist/core.js';

const { analyze } = core;

/** The workspace from `{path: text}`. */
function run(files) {
  return analyze(Object.entries(files).map(([path, text]) => ({ path, text })));
}
/** Each view's compose unit: `service@env` → its service, folder, project and files. */
function units(a) {
  const out = {};
  for (const s of a.model.services.values()) {
    for (const [k, v] of s.views) {
      const u = v.units.get('compose')?.unit;
      // By service name: keys name the application where the workspace holds several.
      if (u) out[`${u.service.name}@${k}`] = u;
    }
  }
  return out;
}
const ports = (u) => u.service.ports.map((p) => `${p.host?.port ?? ''}:${p.container.port}`);

test('extends: a service of another file is inherited with its paths made the extending folder\'s; the extended file is no project of its own', () => {
  const a = run({
    'common/compose.services.yml': 'services:\n  base:\n    build: ../app\n    env_file: base.env\n    ports:\n      - "8080:3000"\n    environment:\n      LOG_LEVEL: info\n      MODE: base\n    command: ["serve", "--port", "3000"]\n',
    'docker-compose.yml': 'services:\n  api:\n    extends:\n      file: common/compose.services.yml\n      service: base\n    ports:\n      - "9229:9229"\n    environment:\n      LOG_LEVEL: debug\n    command: ["serve", "--port", "3001"]\n',
  });
  const u = units(a);
  assert.deepEqual(Object.keys(u), ['api@local']);
  const api = u['api@local'];
  assert.deepEqual(ports(api), ['8080:3000', '9229:9229']);
  assert.deepEqual(api.service.environment.map((e) => `${e.name}=${e.value}`), ['LOG_LEVEL=debug', 'MODE=base']);
  // The command is replaced, not merged.
  assert.deepEqual(api.service.command.ports.map((p) => p.port), [3001]);
  assert.equal(api.service.build.context, 'app');
  assert.deepEqual(api.service.envFiles, ['common/base.env']);
  assert.deepEqual(api.files, ['docker-compose.yml', 'common/compose.services.yml']);
  assert.equal(api.service.nameLoc.file, 'docker-compose.yml');
});

test('extends: a chain resolves nearest last, a cycle and a missing target are notes at the extends key, never a hang', () => {
  const a = run({
    'compose.yaml': 'services:\n  a:\n    image: x\n    ports: ["1000:1000"]\n  b:\n    extends: a\n    ports: ["2000:2000"]\n  c:\n    extends: b\n    ports: ["3000:3000"]\n  d:\n    extends: e\n    image: d\n  e:\n    extends: d\n    image: e\n  f:\n    extends: {file: gone.yml, service: x}\n    image: f\n',
  });
  const u = units(a);
  assert.deepEqual(ports(u['c@local']), ['1000:1000', '2000:2000', '3000:3000']);
  assert.equal(u['d@local'].service.image, 'd');
  const notes = a.findings.filter((f) => f.rule === 'skipped-source').map((f) => `${f.loc.line + 1}: ${f.message}`);
  assert.deepEqual(notes, [
    '12: extends forms a cycle (compose.yaml: d → compose.yaml: e → compose.yaml: d): d is read without what it would inherit',
    '15: extends forms a cycle (compose.yaml: e → compose.yaml: d → compose.yaml: e): e is read without what it would inherit',
    '18: extends: gone.yml is not read (missing, ignored or not a compose file): f is read without what it would inherit from x',
  ]);
});

test('extends: a file that is its folder\'s project stays one when another folder extends it', () => {
  const a = run({
    'base/compose.yaml': 'services:\n  db:\n    image: postgres:16\n    ports: ["5432:5432"]\n',
    'app/compose.yaml': 'services:\n  appdb:\n    extends: {file: ../base/compose.yaml, service: db}\n    ports: ["15432:5432"]\n',
  });
  assert.deepEqual(Object.keys(units(a)).sort(), ['appdb@local', 'db@local']);
  assert.deepEqual(ports(units(a)['appdb@local']), ['5432:5432', '15432:5432']);
});

test('include: the included services join the project with their paths made its own; a file only included is no project of its own', () => {
  const a = run({
    'compose.yaml': 'include:\n  - infra/compose.db.yaml\nservices:\n  web:\n    image: web\n    ports: ["80:80"]\n',
    'infra/compose.db.yaml': 'services:\n  db:\n    build: ./db\n    env_file: db.env\n    ports: ["5432:5432"]\n',
  });
  const u = units(a);
  assert.deepEqual(Object.keys(u).sort(), ['db@local', 'web@local']);
  assert.equal(u['db@local'].project, u['web@local'].project);
  assert.equal(u['db@local'].dir, '');
  assert.equal(u['db@local'].service.build.context, 'infra/db');
  assert.deepEqual(u['db@local'].service.envFiles, ['infra/db.env']);
});

test('include: a file that is its folder\'s project too is one definition (no variant), run with both projects', () => {
  const a = run({
    'compose.yaml': 'include:\n  - api/compose.yaml\nservices:\n  web:\n    image: web\n',
    'api/compose.yaml': 'services:\n  api:\n    build: .\n    ports: ["8080:8080"]\n',
  });
  const api = a.model.services.get('api');
  assert.deepEqual([...api.views.keys()], ['local']);
  const unit = api.views.get('local').units.get('compose').unit;
  assert.equal(unit.dir, 'api');
  assert.deepEqual(unit.also, ['']);
  const projects = a.model.indexes.get('compose').get('local').filter((x) => x.service.name === 'api').map((x) => x.project).sort();
  assert.equal(projects.length, 2);
});

test('include: a cycle and a service the includer defines too are notes, never a hang', () => {
  const a = run({
    'compose.yaml': 'include:\n  - b/compose.yaml\nservices:\n  web:\n    image: web\n',
    'b/compose.yaml': 'include:\n  - ../compose.yaml\nservices:\n  web:\n    image: other\n',
  });
  const notes = a.findings.filter((f) => f.rule === 'skipped-source').map((f) => `${f.loc.file}:${f.loc.line + 1}: ${f.message}`);
  assert.ok(notes.some((n) => /^b\/compose.yaml:2: include forms a cycle/.test(n)), notes.join('\n'));
  assert.ok(notes.some((n) => /^b\/compose.yaml:4: include: web is defined by the including project too/.test(n)), notes.join('\n'));
});

test('a port set in the project\'s .env: located at the .env line with the compose use related, and one fix run edits only that value and reaches a fixpoint', async () => {
  const { spawnSync } = await import('node:child_process');
  const { cpSync, mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'pp-compose-dotenv-'));
  try {
    cpSync(new URL('../fixtures/port-parity/invalid-compose-port-from-dotenv', import.meta.url).pathname, dir, { recursive: true });
    const before = { env: readFileSync(join(dir, '.env'), 'utf8'), compose: readFileSync(join(dir, 'docker-compose.yml'), 'utf8') };
    const check = JSON.parse(spawnSync(process.execPath, [cli, 'check', dir, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' }).stdout);
    const drift = check.findings.find((f) => f.rule === 'port-parity');
    assert.equal(drift.file, '.env');
    assert.ok(drift.related.some((r) => r.file === 'docker-compose.yml' && /\$\{APP_PORT:-8080\}/.test(r.message)), JSON.stringify(drift.related));
    const first = spawnSync(process.execPath, [cli, 'fix', dir], { encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    assert.equal(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), before.compose);
    assert.equal(readFileSync(join(dir, '.env'), 'utf8'), before.env.replace('APP_PORT=3000', 'APP_PORT=8080'));
    const second = spawnSync(process.execPath, [cli, 'fix', dir], { encoding: 'utf8' });
    assert.equal(second.stdout, 'Changed 0 files for 0 findings.\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('interpolation: a default or an alternative is not the .env\'s token; a variable set whole in .env is', () => {
  const { extractCompose } = core;
  const env = [{ name: 'A', value: '3000', nameLoc: { file: '.env', start: 0, end: 1 }, valueLoc: { file: '.env', start: 2, end: 6 }, port: 3000, literal: true }];
  const text = 'services:\n  web:\n    image: x\n    ports:\n      - "${A}:80"\n      - "${B:-3000}:81"\n      - "${A:+3000}:82"\n      - "1${A}:83"\n';
  const f = extractCompose({ path: 'compose.yaml', text }, { A: '3000' }, env);
  const hosts = f.services[0].ports.map((p) => `${p.host.port}@${p.host.loc.file}:${p.host.literal}`);
  assert.deepEqual(hosts, ['3000@.env:true', '3000@compose.yaml:false', '3000@compose.yaml:false', '13000@compose.yaml:false']);
  assert.deepEqual([...f.vias.values()].map((v) => v.text), ['${A} in compose.yaml']);
});

test('COMPOSE_FILE may name files of another folder: they are the listing folder\'s project, not projects of their own', () => {
  const a = run({
    '.env': 'COMPOSE_FILE=stack/compose.base.yml:stack/compose.dev.yml\n',
    'stack/compose.base.yml': 'services:\n  api:\n    image: api\n    ports: ["8080:8080"]\n',
    'stack/compose.dev.yml': 'services:\n  api:\n    ports: ["9229:9229"]\n',
    // Compose does not read it (COMPOSE_FILE names the project); Port Parity reads it on its own.
    'docker-compose.yml': 'services:\n  other:\n    image: other\n',
  });
  const u = units(a);
  assert.deepEqual(Object.keys(u).sort(), ['api@local', 'other@local']);
  assert.notEqual(u['other@local'].project, u['api@local'].project);
  assert.deepEqual(ports(u['api@local']), ['8080:8080', '9229:9229']);
  assert.equal(u['api@local'].dir, '');
});

test('include across applications: a sibling folder\'s project included by another is one service, of its own application', () => {
  const a = run({
    'shop/compose.yaml': 'include:\n  - ../billing/compose.yaml\nservices:\n  web:\n    image: web\n    environment:\n      BILLING_URL: http://billing:9090\n',
    'billing/compose.yaml': 'services:\n  billing:\n    build: .\n    expose: ["8080"]\n',
  });
  assert.deepEqual([...a.model.services.keys()].sort(), ['billing/billing', 'shop/web']);
  assert.deepEqual([...a.model.services.get('billing/billing').views.keys()], ['local']);
  // web reaches the included billing by name: the wrong port is reported against billing's 8080.
  assert.deepEqual(a.findings.filter((f) => f.rule === 'reference-port').map((f) => f.message), ['BILLING_URL=http://billing:9090 calls billing:9090 but billing/billing listens on 8080 (billing/compose.yaml:4)']);
});

test('extends of a file of Compose\'s shape whose name does not say compose: read as Compose and followed, not a project of its own', () => {
  const a = run({
    'common-services.yml': 'services:\n  base:\n    image: base\n    ports: ["8080:8080"]\n',
    'compose.yaml': 'services:\n  api:\n    extends:\n      file: common-services.yml\n      service: base\n',
  });
  assert.deepEqual(a.findings.filter((f) => f.rule === 'skipped-source').map((f) => f.message), []);
  assert.deepEqual([...a.model.services.keys()], ['api']);
  assert.deepEqual([...a.model.services.get('api').views.values()].map((v) => v.declared.map((d) => d.port)), [[8080]]);
});
