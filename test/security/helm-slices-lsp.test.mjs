// Issue 15.2 in the language server: charts render in steps (one chart environment each) with a turn
// of the event loop between them, so hovers are answered while hostile charts evaluate, and an edit
// stops a run under way (what it rendered is kept; it publishes nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient, copyWorkspace, uriOf } from '../lsp/harness.mjs';
import { bombChart, chain, stopServer, timedHover } from './bomb.mjs';

const FIXTURE = new URL('../lsp/workspace', import.meta.url).pathname;
const ENVS = ['dev', 'test', 'staging', 'prod'];
/** Includes over fresh dicts, doubling at each level: each environment spends the whole budget (about 1 s). */
const BOMB = chain((n) => `{{ include "${n}" (dict "x" .) }}{{ include "${n}" (dict "x" .) }}`);
const budgetNote = (d) => d.some((x) => x.code === 'skipped-source' && /evaluation budget/.test(x.message));

async function startServer(t, setup) {
  const root = copyWorkspace(FIXTURE);
  setup(root);
  const client = new LspClient();
  t.after(() => stopServer(client, root));
  await client.start(root);
  return { root, client };
}

/** A chart with four environments (values-dev.yaml, values-test.yaml, values-staging.yaml, values-prod.yaml). */
function envChart(dir, opts) {
  bombChart(dir, opts);
  for (const env of ENVS) writeFileSync(join(dir, 'chart', `values-${env}.yaml`), 'digit: 2\n');
}

test('hovers are answered while hostile charts render, in the first check and after a change on disk', async (t) => {
  const CHARTS = ['a', 'b', 'c', 'd', 'e'];
  const noted = () => CHARTS.every((c) => budgetNote(client.diagnostics.get(uriOf(root, `${c}/chart/templates/deployment.yaml`)) ?? []));
  /** Hovers one after the other until `until` holds: their latencies. */
  const hoversUntil = async (until, what, mayBeEmpty) => {
    let done = false;
    const over = client.until(until, what, 60_000).then(() => (done = true));
    const during = [];
    while (!done) during.push(await timedHover(client, root, mayBeEmpty));
    await over;
    return during;
  };
  // 5 charts × 4 environments, each spending the whole budget.
  const { root, client } = await startServer(t, (root) => {
    for (const c of CHARTS) envChart(join(root, c), { helpers: BOMB, port: '8080{{ include "d0" . }}' });
  });
  let t0 = performance.now();
  // The first check: no analysis yet, so hovers answer empty, at once.
  const first = await hoversUntil(noted, "every chart's budget note", true);
  const indexed = performance.now() - t0;
  // A branch switch: every chart's helpers change.
  for (const c of CHARTS) writeFileSync(join(root, c, 'chart/templates/_helpers.tpl'), `${BOMB}{{- define "extra" -}}{{- end -}}\n`);
  const logged = client.logs.length;
  t0 = performance.now();
  client.notify('workspace/didChangeWatchedFiles', { changes: CHARTS.map((c) => ({ uri: uriOf(root, `${c}/chart/templates/_helpers.tpl`), type: 2 })) });
  // Answered from the last complete check while the charts render again.
  const again = await hoversUntil(() => client.logs.slice(logged).some((l) => l.startsWith('evaluated')), 'the re-evaluation', false);
  const total = performance.now() - t0;
  const slowest = (xs) => Math.round(Math.max(...xs));
  t.diagnostic(`${CHARTS.length} charts × ${ENVS.length} environments: first check ${Math.round(indexed)} ms, ${first.length} hovers meanwhile, the slowest ${slowest(first)} ms; re-evaluation ${Math.round(total)} ms, ${again.length} hovers meanwhile, the slowest ${slowest(again)} ms`);
  // Counted, not timed (a loaded machine stretches every step): a hover waits for at most the step under
  // way, so hovers are answered between the 20 render steps of each run. Before the steps, each check
  // blocked hovers for its whole length: one hover, answered at the end.
  const steps = CHARTS.length * ENVS.length;
  assert.ok(first.length >= steps / 2, `${first.length} hovers answered during the first check's ${steps} render steps`);
  assert.ok(again.length >= steps / 2, `${again.length} hovers answered during the re-evaluation's ${steps} render steps`);
  // The change made every chart environment render again.
  assert.match(client.logs.slice(logged).find((l) => l.startsWith('evaluated')), new RegExp(`\\(${CHARTS.length * ENVS.length} render steps`));
});

/** A chart whose Service points at 8080 while its container listens on `.Values.port`; a template after them spends each environment's budget. */
function slowChart(root, port) {
  const dir = join(root, 'app/chart');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), `port: ${port}\n`);
  for (const env of ENVS) writeFileSync(join(dir, `values-${env}.yaml`), 'digit: 2\n');
  writeFileSync(join(dir, 'templates/_helpers.tpl'), BOMB);
  writeFileSync(join(dir, 'templates/deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    metadata:\n      labels:\n        app: app\n    spec:\n      containers:\n        - name: app\n          image: app\n          ports:\n            - containerPort: {{ .Values.port }}\n');
  writeFileSync(join(dir, 'templates/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector:\n    app: app\n  ports:\n    - port: 80\n      targetPort: 8080\n');
  // Rendered last in each environment (templates render in path order), so the budget stops only it.
  writeFileSync(join(dir, 'templates/zz-bomb.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  x: "{{ include "d0" . }}"\n');
}

test('an edit stops the evaluation under way: the last edit is published, the superseded run never is', async (t) => {
  const { root, client } = await startServer(t, (root) => slowChart(root, 9000));
  const service = 'app/chart/templates/service.yaml';
  const says = (port) => (d) => d.some((x) => x.code === 'service-target-port' && x.message.includes(`listens on ${port} `));
  await client.diagnosticsFor(service, says(9000));
  // Every publication for the Service, in order.
  const seen = [];
  client.conn.onNotification('textDocument/publishDiagnostics', (p) => {
    client.diagnostics.set(p.uri, p.diagnostics);
    if (p.uri === uriOf(root, service)) seen.push(p.diagnostics.map((x) => x.message).join('\n'));
    client.fire();
  });
  const uri = uriOf(root, 'app/chart/values.yaml');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'port: 9000\n' } });
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'port: 9001\n' }] });
  // The first run is rendering (four environments, each spending the whole budget): the second edit comes now.
  const logged = client.logs.length;
  await client.until(() => client.logs.slice(logged).some((l) => l.startsWith('rendering the charts of')), 'the first run to render');
  client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: 'port: 9002\n' }] });
  await client.diagnosticsFor(service, says(9002));
  await client.nextEvaluation();
  const logs = client.logs.slice(logged);
  t.diagnostic(logs.filter((l) => /superseded|evaluated/.test(l)).join('\n'));
  assert.ok(logs.some((l) => /superseded after \d+ render step/.test(l)), 'the first run stopped');
  assert.ok(says(9002)(client.diagnostics.get(uriOf(root, service))), 'the last edit is what is shown');
  assert.ok(!seen.some((m) => m.includes('listens on 9001 ')), `the superseded run published:\n${seen.join('\n---\n')}`);
});

test('a run stopped by an edit elsewhere keeps what it rendered: the next run renders only the rest', async (t) => {
  const { root, client } = await startServer(t, (root) => slowChart(root, 9000));
  const service = 'app/chart/templates/service.yaml';
  await client.diagnosticsFor(service);
  const uri = uriOf(root, 'app/chart/values.yaml');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'port: 9000\n' } });
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'port: 9001\n' }] });
  const logged = client.logs.length;
  await client.until(() => client.logs.slice(logged).some((l) => l.startsWith('rendering the charts of')), 'the first run to render');
  // An edit of a file no chart reads stops the run too; the chart's environments rendered so far stay.
  const compose = uriOf(root, 'docker-compose.yml');
  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  client.notify('textDocument/didOpen', { textDocument: { uri: compose, languageId: 'yaml', version: 1, text: `${text}\n# edited\n` } });
  await client.diagnosticsFor(service, (d) => d.some((x) => x.message.includes('listens on 9001 ')));
  const logs = client.logs.slice(logged);
  t.diagnostic(logs.filter((l) => /superseded|evaluated/.test(l)).join('\n'));
  const stopped = logs.map((l) => /superseded after (\d+) render step/.exec(l)).find(Boolean);
  const finished = logs.map((l) => /evaluated .* \((\d+) render steps/.exec(l)).find(Boolean);
  assert.ok(stopped && finished, 'one run stopped, the next finished');
  assert.equal(Number(stopped[1]) + Number(finished[1]), ENVS.length, 'each environment rendered once');
});
