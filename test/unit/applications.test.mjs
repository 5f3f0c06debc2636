// Applications: which independent application each file belongs to (applications.ts), and what the
// model makes of them: services of one name in two applications are two services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import core from '../../dist/core.js';
import api from '../../dist/api.js';

const { applications } = core;

test('each compose folder no other contains is an application, named by its folder; nested folders are the enclosing one', () => {
  const apps = applications(['react-express', 'vue-flask', 'vue-flask/e2e']);
  assert.equal(apps.multi, true);
  assert.deepEqual(apps.roots, ['react-express', 'vue-flask']);
  assert.equal(apps.of('vue-flask/e2e/api/Dockerfile'), 'vue-flask');
  assert.equal(apps.of('react-express/backend/Dockerfile'), 'react-express');
  assert.equal(apps.of('k8s/backend.yaml'), undefined);
  // A folder whose name starts like another's is not inside it.
  assert.equal(apps.of('vue-flask-old/x.yaml'), undefined);
});

test('one application, or a compose project at the root, scopes nothing', () => {
  assert.equal(applications(['deploy']).multi, false);
  const root = applications(['', 'result', 'docs/demo']);
  assert.equal(root.multi, false);
  assert.deepEqual(root.roots, ['']);
  assert.equal(applications([]).multi, false);
});

test('two roots of one folder name are named by their paths; configured globs win over folders', () => {
  const apps = applications(['a/web', 'b/web', 'shop'], { billing: ['shop/billing/**'] });
  assert.equal(apps.of('a/web/compose.yaml'), 'a/web');
  assert.equal(apps.of('b/web/x/Dockerfile'), 'b/web');
  assert.equal(apps.of('shop/billing/k8s/api.yaml'), 'billing');
  assert.equal(apps.of('shop/api/Dockerfile'), 'shop');
  // Configured applications count: one compose folder and one configured application are two.
  assert.equal(applications(['shop'], { billing: ['billing/**'] }).multi, true);
});

const compose = (ports) => `services:\n  api:\n    build: ./api\n    ports:\n      - "${ports}"\n`;

test('the model: each application has its service, named application/name, and a contract by name applies to each', () => {
  const files = [
    { path: 'one/docker-compose.yml', text: compose('8080:8080') },
    { path: 'two/docker-compose.yml', text: compose('9090:9090') },
    { path: '.portparity.yaml', text: 'services:\n  api: 8080\n' },
  ];
  const config = api.parseConfig('.portparity.yaml', files[2].text).config;
  const { model, findings } = api.analyze(files.slice(0, 2), config);
  assert.deepEqual([...model.services.keys()].sort(), ['one/api', 'two/api']);
  assert.deepEqual(model.services.get('two/api').application, { name: 'two', service: 'api' });
  // The contract names api: two's api breaks it, one's keeps it.
  assert.deepEqual(findings.filter((f) => f.rule === 'contract').map((f) => f.service), ['two/api']);
});

test('the model: environment folders are one application, and a nested stack is the enclosing one', () => {
  const envs = api.analyze([
    { path: 'deploy/local/docker-compose.yml', text: compose('8080:8080') },
    { path: 'deploy/production/docker-compose.yml', text: compose('8080:8080') },
  ]);
  assert.deepEqual([...envs.model.services.keys()], ['api']);
  const nested = api.analyze([
    { path: 'docker-compose.yml', text: compose('8080:8080') },
    { path: 'e2e/docker-compose.yml', text: compose('9090:9090') },
  ]);
  assert.deepEqual([...nested.model.services.keys()], ['api']);
});
