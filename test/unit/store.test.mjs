// The store of units: each unit (a file read for itself, a chart's renders, an overlay's render) runs
// again only when a read it made reads differently, and what it gives equals a cold extraction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import api from '../../dist/api.js';

const config = api.defaultConfig();
const byFile = (facts) => new Map(facts.map((f) => [f.file, f]));
const edit = (files, path, text) => (files.some((f) => f.path === path) ? files.map((f) => (f.path === path ? { path, text } : f)) : [...files, { path, text }]);
const without = (files, path) => files.filter((f) => f.path !== path);

const manifest = (name, port) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: ${name}\n          image: example/${name}\n          ports:\n            - containerPort: ${port}\n`;
const compose = 'services:\n  web:\n    image: example/web\n    ports:\n      - "${WEB_PORT}:8080"\n';

/** Runs `files` through `store` (with and without the caller's list of edits) and checks the result against a cold run. */
function step(store, files, edits) {
  const r = api.extract(files, config, store, edits ? { edits } : {});
  assert.deepEqual(r.facts, api.extractAll(files, config), 'equals a cold extraction');
  return r;
}

test('a file read for itself runs again only when its text changes: the others keep their facts objects', () => {
  const store = new api.Store();
  let files = [
    { path: 'deploy/staging/a.yaml', text: manifest('a', 8080) },
    { path: 'deploy/staging/b.yaml', text: manifest('b', 9090) },
  ];
  const first = step(store, files);
  assert.equal(first.looked, 'all');
  assert.deepEqual(first.changed.sort(), ['deploy/staging/a.yaml', 'deploy/staging/b.yaml']);
  // The same texts again (new objects): nothing runs, the very same facts come back.
  const same = step(store, files.map((f) => ({ ...f })));
  assert.deepEqual(same.changed, []);
  assert.equal(same.facts, first.facts);
  files = edit(files, 'deploy/staging/a.yaml', manifest('a', 8081));
  const next = step(store, files);
  assert.equal(next.looked, 'edited');
  assert.deepEqual(next.changed, ['deploy/staging/a.yaml']);
  assert.equal(byFile(next.facts).get('deploy/staging/b.yaml'), byFile(first.facts).get('deploy/staging/b.yaml'));
  assert.notEqual(byFile(next.facts).get('deploy/staging/a.yaml'), byFile(first.facts).get('deploy/staging/a.yaml'));
});

test('a compose file is read again when the .env of its folder changes, and not for another folder\'s .env or a file that does not read it', () => {
  for (const told of [false, true]) {
    const store = new api.Store();
    let files = [
      { path: 'app/docker-compose.yml', text: compose },
      { path: 'app/.env', text: 'WEB_PORT=3000\n' },
      { path: 'app/deploy.yaml', text: manifest('web', 8080) },
      { path: 'other/.env', text: 'WEB_PORT=1\n' },
    ];
    const first = byFile(step(store, files).facts);
    const says = (facts) => JSON.stringify(facts.get('app/docker-compose.yml')).includes('3001');
    // Another folder's .env: the compose file is not read again.
    files = edit(files, 'other/.env', 'WEB_PORT=2\n');
    const other = step(store, files, told && [{ path: 'other/.env', text: 'WEB_PORT=2\n' }]);
    assert.deepEqual(other.changed, ['other/.env'], `told: ${told}`);
    // Its own folder's .env: read again with the new value; the manifest beside it (which reads no .env) is not.
    files = edit(files, 'app/.env', 'WEB_PORT=3001\n');
    const mine = step(store, files, told && [{ path: 'app/.env', text: 'WEB_PORT=3001\n' }]);
    assert.equal(mine.looked, 'edited');
    assert.deepEqual(mine.changed.sort(), ['app/.env', 'app/docker-compose.yml'], `told: ${told}`);
    const now = byFile(mine.facts);
    assert.ok(says(now), 'the compose file interpolates the new value');
    assert.equal(now.get('app/deploy.yaml'), first.get('app/deploy.yaml'));
    // The .env gone: the compose file is read again, without it.
    files = without(files, 'app/.env');
    const gone = step(store, files, told && [{ path: 'app/.env', text: undefined }]);
    assert.ok(gone.changed.includes('app/docker-compose.yml') && gone.changed.includes('app/.env'), `told: ${told}: ${gone.changed}`);
  }
});

test('a file added where an overlay looked (a resource it lists, a folder it includes) renders the overlay again', () => {
  const store = new api.Store();
  let files = [
    { path: 'k8s/staging/kustomization.yaml', text: 'resources:\n  - deployment.yaml\n  - extra\n' },
  ];
  const render = (r) => r.facts.find((f) => f.file === 'k8s/staging/kustomization.yaml#staging');
  const first = render(step(store, files));
  assert.equal(first.workloads.length, 0);
  files = edit(files, 'k8s/staging/deployment.yaml', manifest('web', 8080));
  const added = step(store, files);
  assert.equal(added.looked, 'all');
  assert.deepEqual(render(added).workloads.map((w) => w.name), ['web']);
  assert.ok(added.changed.includes('k8s/staging/kustomization.yaml#staging'));
  // The folder it lists gains a kustomization: the overlay renders it too.
  files = edit(files, 'k8s/staging/extra/kustomization.yaml', 'resources:\n  - api.yaml\n');
  files = edit(files, 'k8s/staging/extra/api.yaml', manifest('api', 9090));
  const folder = step(store, files);
  assert.deepEqual(render(folder).workloads.map((w) => w.name).sort(), ['api', 'web']);
  // An edit of a file the render read renders it again; an edit of nothing it read does not.
  files = edit(files, 'k8s/staging/extra/api.yaml', manifest('api', 9091));
  const again = step(store, files);
  assert.equal(again.looked, 'edited');
  assert.notEqual(render(again), render(folder));
  files = edit(files, 'deploy/production/other.yaml', manifest('other', 1));
  step(store, files);
  files = edit(files, 'deploy/production/other.yaml', manifest('other', 2));
  const elsewhere = step(store, files);
  assert.equal(render(elsewhere), render(again));
  assert.deepEqual(elsewhere.changed, ['deploy/production/other.yaml']);
});

test('a template added to a chart renders the chart again; an edit outside it keeps its renders', () => {
  const store = new api.Store();
  let files = [
    { path: 'chart/Chart.yaml', text: 'apiVersion: v2\nname: web\nversion: 0.1.0\n' },
    { path: 'chart/values.yaml', text: 'port: 8080\n' },
    { path: 'chart/templates/web.yaml', text: manifest('web', '{{ .Values.port }}') },
    { path: 'deploy/api.yaml', text: manifest('api', 9090) },
  ];
  const chart = (r) => r.facts.find((f) => f.file === 'chart#base');
  const first = step(store, files);
  files = edit(files, 'deploy/api.yaml', manifest('api', 9091));
  const outside = step(store, files);
  assert.equal(chart(outside), chart(first));
  files = edit(files, 'chart/templates/api.yaml', manifest('worker', '{{ .Values.port }}'));
  const added = step(store, files);
  assert.deepEqual(chart(added).workloads.map((w) => w.name).sort(), ['web', 'worker']);
  files = edit(files, 'chart/values.yaml', 'port: 8081\n');
  const values = step(store, files);
  assert.equal(values.looked, 'edited');
  // The values file itself (read for its suppressions) and the chart's render: nothing else.
  assert.deepEqual(values.changed.sort(), ['chart#base', 'chart/values.yaml']);
});

test('another config empties the store; a rule setting, which extraction does not read, does not', () => {
  const store = new api.Store();
  const files = [{ path: 'deploy/staging/a.yaml', text: manifest('a', 8080) }];
  const first = api.extract(files, config, store);
  const rules = api.extract(files, { ...config, rules: { 'port-parity': 'off' } }, store);
  assert.equal(rules.facts, first.facts);
  const ignored = api.extract(files, { ...config, ignore: ['deploy/**'] }, store);
  assert.equal(ignored.looked, 'all');
  assert.deepEqual(ignored.facts, []);
  assert.deepEqual(ignored.changed, ['deploy/staging/a.yaml']);
});
