// Dependencies as helm 3 assembles them (pkg/chartutil/dependencies.go): tags, conditions, aliases,
// import-values, and `.Subcharts`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import core from '../../dist/core.js';

const { extractAll } = core;

const deployment = (name, port) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          ports:\n            - containerPort: ${port}\n`;

function render(files) {
  const rs = extractAll(files).filter((f) => f.kind === 'kubernetes' && f.renderedFrom);
  assert.equal(rs.length, 1);
  return rs[0];
}

const sub = (name, values, tpl) => [
  { path: `app/charts/${name}/Chart.yaml`, text: `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n` },
  { path: `app/charts/${name}/values.yaml`, text: values },
  { path: `app/charts/${name}/templates/d.yaml`, text: tpl },
];

/** Subcharts with no values, each a Deployment of its name on port 1001, 1002, … */
const plain = (...names) => names.flatMap((n, i) => sub(n, '{}\n', deployment(n, 1001 + i)));

const chartYaml = (deps) => ({ path: 'app/Chart.yaml', text: `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n${deps}` });

test('tags: a dependency is off only when none of its tags is true and one is false; its condition decides over its tags', () => {
  const files = [
    chartYaml('  - name: a\n    tags: [front, back]\n  - name: b\n    tags: [back]\n  - name: c\n    tags: [back]\n    condition: c.enabled\n  - name: d\n    tags: [other]\n'),
    { path: 'app/values.yaml', text: 'tags:\n  front: true\n  back: false\nc:\n  enabled: true\n' },
    ...plain('a', 'b', 'c', 'd'),
  ];
  assert.deepEqual(render(files).workloads.map((w) => w.name), ['a', 'c', 'd']);
});

test('a condition reads the subchart\'s own defaults when the parent does not set it (helm coalesces them first)', () => {
  const files = [chartYaml('  - name: a\n    condition: a.enabled\n'), { path: 'app/values.yaml', text: '{}\n' }, ...sub('a', 'enabled: false\n', deployment('a', 1001)), { path: 'app/templates/x.yaml', text: deployment('x', 80) }];
  assert.deepEqual(render(files).workloads.map((w) => w.name), ['x']);
});

test('one chart as two dependencies with aliases renders twice, each with its values and its alias as .Chart.Name', () => {
  const files = [
    chartYaml('  - name: cache\n    alias: hot\n  - name: cache\n    alias: cold\n    condition: cold.on\n'),
    { path: 'app/values.yaml', text: 'hot:\n  port: 6001\ncold:\n  on: true\n  port: 6002\n' },
    ...sub('cache', 'port: 6379\n', deployment('{{ .Chart.Name }}', '{{ .Values.port }}')),
  ];
  const r = render(files);
  assert.deepEqual(r.workloads.map((w) => [w.name, w.containers[0].ports[0].containerPort.port]), [['hot', 6001], ['cold', 6002]]);
});

test('import-values: the child/parent form and the exports string form reach the parent; the parent\'s own values win', () => {
  const files = [
    chartYaml('  - name: db\n    import-values:\n      - child: service\n        parent: dbService\n      - data\n'),
    { path: 'app/values.yaml', text: 'dbService:\n  name: mine\n' },
    ...sub('db', 'service:\n  port: 5432\n  name: theirs\nexports:\n  data:\n    metricsPort: 9187\n', deployment('db', 5432)),
    { path: 'app/templates/x.yaml', text: deployment('{{ .Values.dbService.name }}', '{{ .Values.dbService.port }}') + '            - containerPort: {{ .Values.metricsPort }}\n' },
  ];
  const r = render(files);
  const x = r.workloads.find((w) => w.name === 'mine');
  assert.ok(x, JSON.stringify(r.workloads.map((w) => w.name)));
  assert.deepEqual(x.containers[0].ports.map((p) => [p.containerPort.port, p.containerPort.loc.file]), [[5432, 'app/charts/db/values.yaml'], [9187, 'app/charts/db/values.yaml']]);
});

test('an import-values child that is not a map in the subchart is said at the entry, as helm warns', () => {
  const files = [chartYaml('  - name: db\n    import-values:\n      - child: nothere\n        parent: x\n'), { path: 'app/values.yaml', text: '{}\n' }, ...sub('db', 'port: 1\n', deployment('db', 5432))];
  const r = render(files);
  assert.deepEqual(r.unknowns.map((u) => u.message), ["import-values of db: nothere is not a map in db's values, so helm imports nothing from it"]);
  assert.equal(r.unknowns[0].loc.line, 6);
});

test('.Subcharts gives each enabled subchart\'s scope: its .Values (with the parent\'s overrides) and .Chart', () => {
  const files = [
    chartYaml('  - name: db\n  - name: off\n    condition: off.enabled\n'),
    { path: 'app/values.yaml', text: 'db:\n  port: 6543\noff:\n  enabled: false\n' },
    ...sub('db', 'port: 5432\n', deployment('db', '{{ .Values.port }}')),
    ...sub('off', '{}\n', deployment('off', 1)),
    { path: 'app/templates/x.yaml', text: deployment('x-{{ .Subcharts.db.Chart.Name }}-{{ len .Subcharts }}', '{{ .Subcharts.db.Values.port }}') },
  ];
  const r = render(files);
  const x = r.workloads.find((w) => w.name.startsWith('x-'));
  assert.equal(x.name, 'x-db-1');
  assert.equal(x.containers[0].ports[0].containerPort.port, 6543);
  assert.equal(x.containers[0].ports[0].containerPort.loc.file, 'app/values.yaml');
});

test('a dependency whose version the chart in charts/ does not meet is left out, as helm does, and said; none or a matching range takes it', () => {
  const files = [
    chartYaml('  - name: a\n    version: ~2.0.0\n  - name: b\n    version: ^1.0.0\n  - name: c\n'),
    { path: 'app/values.yaml', text: '{}\n' },
    ...plain('a', 'b', 'c'),
  ];
  const r = render(files);
  assert.deepEqual(r.workloads.map((w) => w.name), ['b', 'c']);
  assert.deepEqual(r.unknowns.map((u) => u.message), ['dependency a ~2.0.0 is not rendered: app/charts/ holds a 1.0.0, which the version does not match, and helm leaves it out (helm dependency update fetches a matching one)']);
});

test('import-values chain bottom-up: what a grandchild exports to its chart reaches the parent that imports from that chart', () => {
  const files = [
    chartYaml('  - name: mid\n    import-values:\n      - child: ports\n        parent: ports\n'),
    { path: 'app/values.yaml', text: '{}\n' },
    { path: 'app/templates/x.yaml', text: deployment('x', '{{ .Values.ports.leaf }}') },
    { path: 'app/charts/mid/Chart.yaml', text: 'apiVersion: v2\nname: mid\nversion: 1.0.0\ndependencies:\n  - name: leaf\n    import-values:\n      - child: port\n        parent: ports\n' },
    { path: 'app/charts/mid/values.yaml', text: 'ports: {}\n' },
    { path: 'app/charts/mid/charts/leaf/Chart.yaml', text: 'apiVersion: v2\nname: leaf\nversion: 1.0.0\n' },
    { path: 'app/charts/mid/charts/leaf/values.yaml', text: 'port:\n  leaf: 7777\n' },
  ];
  const x = render(files).workloads.find((w) => w.name === 'x');
  assert.equal(x.containers[0].ports[0].containerPort.port, 7777);
  assert.equal(x.containers[0].ports[0].containerPort.loc.file, 'app/charts/mid/charts/leaf/values.yaml');
});

test('requirements.yaml: its dependencies are the chart\'s and Chart.yaml\'s are not, as helm\'s loader reads it over Chart.yaml', () => {
  // Chart.yaml would turn `a` off; requirements.yaml names `a` only under the alias `x`, and `b` not at all (so it renders as found in charts/).
  const files = [
    { path: 'app/Chart.yaml', text: 'apiVersion: v1\nname: app\nversion: 1.0.0\ndependencies:\n  - name: a\n    condition: a.on\n' },
    { path: 'app/requirements.yaml', text: 'dependencies:\n  - name: a\n    alias: x\n' },
    { path: 'app/values.yaml', text: 'a:\n  on: false\nx:\n  port: 7001\n' },
    ...sub('a', 'port: 6001\n', deployment('{{ .Chart.Name }}', '{{ .Values.port }}')),
    ...sub('b', '{}\n', deployment('b', 1002)),
  ];
  const r = render(files);
  assert.deepEqual(r.workloads.map((w) => [w.name, w.containers[0].ports[0].containerPort.port]).sort(), [['b', 1002], ['x', 7001]]);
  // A requirements.yaml without `dependencies:` leaves Chart.yaml's: `a` stays off.
  files[1] = { path: 'app/requirements.yaml', text: '# nothing here\n{}\n' };
  assert.deepEqual(render(files).workloads.map((w) => w.name), ['b']);
});
