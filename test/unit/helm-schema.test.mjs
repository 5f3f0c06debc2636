// values.schema.json as helm uses it: values validated, a violation is what helm would refuse; no defaults applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import core from '../../dist/core.js';

const { extractAll } = core;

const deployment = (port) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          ports:\n            - containerPort: ${port}\n`;

const SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['service'],
  properties: {
    service: { type: 'object', properties: { port: { type: 'integer', minimum: 1, maximum: 65535, default: 8080 }, type: { enum: ['ClusterIP', 'NodePort'] } }, additionalProperties: false },
    replicas: { type: 'integer', default: 3 },
  },
});

function renders(files) {
  return extractAll(files).filter((f) => f.kind === 'kubernetes' && f.renderedFrom);
}

const lineText = (files, loc) => files.find((f) => f.path === loc.file).text.split('\n')[loc.line].trim();

test('a value the chart\'s schema rejects is said at that value, in the environment that sets it: helm would refuse it', () => {
  const files = [
    { path: 'api/Chart.yaml', text: 'apiVersion: v2\nname: api\nversion: 1.0.0\n' },
    { path: 'api/values.schema.json', text: SCHEMA },
    { path: 'api/values.yaml', text: 'service:\n  port: 8080\n  type: ClusterIP\n' },
    { path: 'api/values-staging.yaml', text: 'service:\n  port: 9090\n' },
    { path: 'api/values-prod.yaml', text: 'service:\n  port: 70000\n  typo: 1\n' },
    { path: 'api/templates/d.yaml', text: deployment('{{ .Values.service.port }}') },
  ];
  const rs = renders(files);
  const staging = rs.find((r) => r.env === 'staging');
  const prod = rs.find((r) => r.env === 'production');
  assert.deepEqual(staging.unknowns, []);
  assert.deepEqual(prod.unknowns.map((u) => [u.message, u.loc.file, lineText(files, u.loc)]), [
    ['helm template would fail here: api/values.schema.json rejects .Values.service.port of api (must be <= 65535); helm refuses these values, so this environment cannot be deployed as written', 'api/values-prod.yaml', 'port: 70000'],
    ['helm template would fail here: api/values.schema.json rejects .Values.service.typo of api (typo is not a property the schema allows); helm refuses these values, so this environment cannot be deployed as written', 'api/values-prod.yaml', 'typo: 1'],
  ]);
});

test('schema defaults are not applied (helm/helm#8218): a port only the schema\'s default gives stays unset', () => {
  const files = [
    { path: 'api/Chart.yaml', text: 'apiVersion: v2\nname: api\nversion: 1.0.0\n' },
    { path: 'api/values.schema.json', text: SCHEMA },
    { path: 'api/values.yaml', text: 'service:\n  type: ClusterIP\n' },
    { path: 'api/templates/d.yaml', text: deployment('{{ .Values.service.port }}') },
  ];
  const [r] = renders(files);
  assert.equal(r.workloads[0].containers[0].ports.length, 0, JSON.stringify(r.workloads[0].containers[0].ports));
  assert.ok(!r.unknowns.some((u) => /helm template would fail/.test(u.message)), 'a missing optional value is no violation');
});

test('a required value missing and a wrong type; an enabled subchart\'s schema checks its values (the parent\'s override at its place), a disabled one\'s does not', () => {
  const sub = JSON.stringify({ type: 'object', properties: { port: { type: 'integer' } } });
  const files = [
    { path: 'app/Chart.yaml', text: 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: db\n  - name: off\n    condition: off.enabled\n' },
    { path: 'app/values.schema.json', text: JSON.stringify({ type: 'object', required: ['service'], properties: { replicas: { type: 'integer' } } }) },
    { path: 'app/values.yaml', text: 'replicas: three\ndb:\n  port: "5432"\noff:\n  enabled: false\n  port: nope\n' },
    { path: 'app/templates/d.yaml', text: deployment(80) },
    { path: 'app/charts/db/Chart.yaml', text: 'apiVersion: v2\nname: db\nversion: 1.0.0\n' },
    { path: 'app/charts/db/values.schema.json', text: sub },
    { path: 'app/charts/db/values.yaml', text: 'port: 5432\n' },
    { path: 'app/charts/off/Chart.yaml', text: 'apiVersion: v2\nname: off\nversion: 1.0.0\n' },
    { path: 'app/charts/off/values.schema.json', text: sub },
  ];
  const [r] = renders(files);
  assert.deepEqual(r.unknowns.map((u) => [u.message.replace(/; helm refuses.*/, ''), u.loc.file, lineText(files, u.loc)]), [
    ['helm template would fail here: app/values.schema.json rejects .Values of app (must have the property service)', 'app/values.yaml', 'replicas: three'],
    ['helm template would fail here: app/values.schema.json rejects .Values.replicas of app (must be integer, not string)', 'app/values.yaml', 'replicas: three'],
    ['helm template would fail here: app/charts/db/values.schema.json rejects .Values.port of db (must be integer, not string)', 'app/values.yaml', 'port: "5432"'],
  ]);
});

test('a schema that cannot be used (not JSON, a remote $ref) is said at the schema, never a crash', () => {
  for (const [text, why] of [['{ nope', /is not valid JSON/], [JSON.stringify({ properties: { a: { $ref: 'https://example.com/s.json' } } }), /\$ref https:\/\/example\.com\/s\.json is not in the schema itself/]]) {
    const files = [
      { path: 'api/Chart.yaml', text: 'apiVersion: v2\nname: api\nversion: 1.0.0\n' },
      { path: 'api/values.schema.json', text },
      { path: 'api/values.yaml', text: 'a: 1\n' },
      { path: 'api/templates/d.yaml', text: deployment(80) },
    ];
    const [r] = renders(files);
    assert.equal(r.unknowns.length, 1);
    assert.match(r.unknowns[0].message, why);
    assert.equal(r.unknowns[0].loc.file, 'api/values.schema.json');
  }
});

test('the parent\'s schema sees its subcharts\' values as helm coalesces them (their defaults under their key)', () => {
  const files = [
    { path: 'app/Chart.yaml', text: 'apiVersion: v2\nname: app\nversion: 1.0.0\n' },
    { path: 'app/values.schema.json', text: JSON.stringify({ type: 'object', properties: { db: { type: 'object', required: ['port'], properties: { port: { type: 'integer', maximum: 6000 } } } } }) },
    { path: 'app/values.yaml', text: '{}\n' },
    { path: 'app/values-prod.yaml', text: 'db:\n  port: 7000\n' },
    { path: 'app/values-staging.yaml', text: 'x: 1\n' },
    { path: 'app/templates/d.yaml', text: deployment(80) },
    { path: 'app/charts/db/Chart.yaml', text: 'apiVersion: v2\nname: db\nversion: 1.0.0\n' },
    { path: 'app/charts/db/values.yaml', text: 'port: 5432\n' },
  ];
  const rs = renders(files);
  assert.deepEqual(rs.find((r) => r.env === 'staging').unknowns, []);
  assert.deepEqual(rs.find((r) => r.env === 'production').unknowns.map((u) => [u.loc.file, lineText(files, u.loc)]), [['app/values-prod.yaml', 'port: 7000']]);
});
