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
      if (u) out[`${s.name}@${k}`] = u;
    }
  }
  return out;
}
const ports = (u) => u.service.ports.map((p) => `${p.host?.port ?? ''}:${p.container.port}`);

test('extends: a service of another file is inherited with its paths made the extending folder\'s; the extended file is no project of its own', () => {
  const a = run({
    'common/services.yml': 'services:\n  base:\n    build: ../app\n    env_file: base.env\n    ports:\n      - "8080:3000"\n    environment:\n      LOG_LEVEL: info\n      MODE: base\n    command: ["serve", "--port", "3000"]\n',
    'docker-compose.yml': 'services:\n  api:\n    extends:\n      file: common/services.yml\n      service: base\n    ports:\n      - "9229:9229"\n    environment:\n      LOG_LEVEL: debug\n    command: ["serve", "--port", "3001"]\n',
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
  assert.deepEqual(api.files, ['docker-compose.yml', 'common/services.yml']);
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
    'compose.yaml': 'include:\n  - infra/db.yaml\nservices:\n  web:\n    image: web\n    ports: ["80:80"]\n',
    'infra/db.yaml': 'services:\n  db:\n    build: ./db\n    env_file: db.env\n    ports: ["5432:5432"]\n',
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
