// The language server's incremental re-evaluation must equal a cold evaluation after any edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import api from '../../dist/api.js';

const root = new URL('../..', import.meta.url).pathname;
const workspaces = [
  join(root, 'examples/shop'),
  join(root, 'examples/clean'),
  join(root, 'test/lsp/workspace'),
  ...readdirSync(join(root, 'test/fixtures')).flatMap((rule) => readdirSync(join(root, 'test/fixtures', rule)).map((c) => join(root, 'test/fixtures', rule, c))),
  ...['helm', 'kustomize'].flatMap((kind) => readdirSync(join(root, 'test/unit/fixtures', kind)).map((c) => join(root, 'test/unit/fixtures', kind, c))),
].filter((d) => existsSync(d));

const key = (f) => `${f.rule} ${f.severity} ${f.loc.file}:${f.loc.start}-${f.loc.end} ${f.message} ${JSON.stringify(f.fix?.edits.map((e) => [e.loc.file, e.loc.start, e.newText]) ?? null)}`;

/** Each edit: one port-looking number in one file becomes another. */
function* edits(files) {
  for (const f of files) {
    const re = /\b([1-9]\d{1,4})\b/g;
    let m;
    let n = 0;
    while ((m = re.exec(f.text)) && n < 3) {
      n++;
      yield { path: f.path, text: f.text.slice(0, m.index) + String(Number(m[1]) + 1) + f.text.slice(m.index + m[1].length) };
    }
  }
}

/**
 * Edits that can change what a kustomization or a chart takes in: each line of every kustomization
 * and Chart.yaml commented out in turn (a resource, a patch, a generator's env file, `kind: Component`
 * gone), and an entry added to the end.
 */
function* structuralEdits(files) {
  for (const f of files) {
    if (!/(^|\/)(kustomization\.ya?ml|Kustomization|Chart\.yaml)$/.test(f.path)) continue;
    const lines = f.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '' || lines[i].trim().startsWith('#')) continue;
      yield { path: f.path, text: [...lines.slice(0, i), `# ${lines[i]}`, ...lines.slice(i + 1)].join('\n') };
    }
    yield { path: f.path, text: `${f.text.trimEnd()}\nnamePrefix: edited-\n` };
  }
}

/**
 * Every single edit of every fixture workspace, each from a store primed on the files before it (facts
 * and the renders of charts and overlays kept) and the state made from them (updateState consumes it).
 */
function* primedEdits(make = edits) {
  for (const dir of workspaces) {
    const ws = api.readWorkspace(dir);
    for (const e of make(ws.files)) {
      const store = new api.Store();
      const start = api.fullState(api.extract(ws.files, ws.config, store).facts, ws.config);
      yield { dir, ws, e, store, start, files: ws.files.map((f) => (f.path === e.path ? e : f)) };
    }
  }
}

/** The findings (and suppressed ones) of a state equal those of a cold analysis of the files. */
function assertCold(state, files, config, what) {
  const cold = api.analyze(files, config);
  assert.deepEqual(state.analysis.findings.map(key), cold.findings.map(key), `${what} (${state.last.mode})`);
  assert.deepEqual(state.analysis.suppressed.map(key), cold.suppressed.map(key), what);
}

test('incremental re-evaluation after each single edit equals a cold evaluation, in every fixture workspace', () => {
  let compared = 0;
  let incremental = 0;
  for (const { dir, ws, e, store, start, files } of primedEdits()) {
    const state = api.updateState(start, api.extract(files, ws.config, store).facts, ws.config, { maxShare: 1 });
    assertCold(state, files, ws.config, `${dir}: after editing ${e.path}`);
    compared++;
    if (state.last.mode === 'incremental') incremental++;
  }
  assert.ok(compared > 100, `compared ${compared} edits`);
  assert.ok(incremental > 20, `only ${incremental} of ${compared} edits took the incremental path`);
});

test('a sequence of incremental re-evaluations stays equal to a cold evaluation at every step', () => {
  let steps = 0;
  for (const dir of workspaces) {
    const ws = api.readWorkspace(dir);
    const store = new api.Store();
    let files = ws.files;
    let state = api.fullState(api.extract(files, ws.config, store).facts, ws.config);
    // Each step edits on top of the previous one, so index maintenance errors would accumulate.
    for (const e of [...edits(ws.files)].slice(0, 6)) {
      files = files.map((f) => (f.path === e.path ? { path: f.path, text: e.text.length === f.text.length ? e.text : f.text.replace(/\b([1-9]\d{1,4})\b/, (m) => String(Number(m) + 7)) } : f));
      state = api.updateState(state, api.extract(files, ws.config, store).facts, ws.config, { maxShare: 1 });
      const cold = api.analyze(files, ws.config);
      assert.deepEqual(state.analysis.findings.map(key), cold.findings.map(key), `${dir}: step ${steps} on ${e.path} (${state.last.mode})`);
      steps++;
    }
  }
  assert.ok(steps > 100, `${steps} steps`);
});

test('after an edit, only the units that read the edited file run again (kept renders made again where they read it), and the result equals a cold evaluation', () => {
  let quick = 0;
  let rendered = 0;
  for (const { dir, ws, e, store, start, files } of primedEdits()) {
    const fast = api.extract(files, ws.config, store);
    if (fast.looked !== 'edited') continue;
    quick++;
    assert.deepEqual(fast.facts, api.extractAll(files, ws.config), `${dir}: the facts after editing ${e.path}`);
    if (fast.changed.some((f) => f.includes('#'))) rendered++;
    const state = api.updateState(start, fast.facts, ws.config, { changed: fast.changed, maxShare: 1 });
    assertCold(state, files, ws.config, `${dir}: after editing ${e.path}`);
  }
  assert.ok(quick > 100, `only ${quick} edits took the fast path`);
  assert.ok(rendered > 20, `only ${rendered} fast-path edits made a chart or overlay again`);
});

test('after an edit of a kustomization or a Chart.yaml, only the renders that read it run again when the renders stay the same, else every unit is looked at; both equal a cold evaluation', () => {
  let quick = 0;
  let slow = 0;
  for (const { dir, ws, e, store, start, files } of primedEdits(structuralEdits)) {
    const fast = api.extract(files, ws.config, store);
    if (fast.looked !== 'edited') {
      slow++;
      assert.deepEqual(fast.facts, api.extractAll(files, ws.config), `${dir}: the facts after editing ${e.path}:\n${e.text}`);
      assertCold(api.updateState(start, fast.facts, ws.config, { changed: fast.changed, maxShare: 1 }), files, ws.config, `${dir}: after editing ${e.path}`);
      continue;
    }
    quick++;
    assert.deepEqual(fast.facts, api.extractAll(files, ws.config), `${dir}: the facts after editing ${e.path}:\n${e.text}`);
    const state = api.updateState(start, fast.facts, ws.config, { changed: fast.changed, maxShare: 1 });
    assertCold(state, files, ws.config, `${dir}: after editing ${e.path}`);
  }
  // Both answers happen: most edits keep what a kustomization takes in, some (a resource gone) do not.
  assert.ok(quick > 100, `only ${quick} structural edits took the fast path`);
  assert.ok(slow > 20, `only ${slow} structural edits went to the full path`);
});

test('after edits of several files at once (a chart and a kustomization in one folder, as Argo CD apps keep them) renders both again', () => {
  const files = [
    { path: 'app/Chart.yaml', text: 'apiVersion: v2\nname: app\nversion: 0.1.0\n' },
    { path: 'app/values.yaml', text: 'port: 8080\n' },
    { path: 'app/templates/deployment.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  template:\n    metadata:\n      labels:\n        app: {{ .Chart.Name }}\n    spec:\n      containers:\n        - name: main\n          image: example/app\n          ports:\n            - containerPort: {{ .Values.port }}\n' },
    { path: 'app/kustomization.yaml', text: 'resources:\n  - service.yaml\n' },
    { path: 'app/service.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector:\n    app: app\n  ports:\n    - port: 80\n      targetPort: 8080\n' },
  ];
  const store = new api.Store();
  const start = api.fullState(api.extract(files, undefined, store).facts, api.defaultConfig());
  const edits = [
    { path: 'app/Chart.yaml', text: 'apiVersion: v2\nname: web\nversion: 0.1.0\n' },
    { path: 'app/kustomization.yaml', text: 'resources:\n  - service.yaml\nnamePrefix: x-\n' },
  ];
  const after = files.map((f) => edits.find((e) => e.path === f.path) ?? f);
  const fast = api.extract(after, api.defaultConfig(), store);
  assert.equal(fast.looked, 'edited', 'only the units that read the edited files are looked at');
  assert.deepEqual(fast.facts, api.extractAll(after), 'the facts after both edits');
  assert.ok(fast.changed.includes('app#base') && fast.changed.includes('app/kustomization.yaml#base'), `both renders made again: ${fast.changed}`);
  assertCold(api.updateState(start, fast.facts, api.defaultConfig(), { changed: fast.changed, maxShare: 1 }), after, api.defaultConfig(), 'after both edits');
});

test('the incremental part is read in the workspace order: a message cites the same declaration as a cold evaluation', () => {
  const manifest = (port) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/web:1.0\n          ports:\n            - containerPort: ${port}\n`;
  // Two production manifests of one service: the message cites the first in the workspace's order.
  const files = [
    { path: 'deploy/production/a.yaml', text: manifest(3000) },
    { path: 'deploy/production/b.yaml', text: manifest(8002) },
    { path: 'deploy/staging/web.yaml', text: manifest(8001) },
  ];
  const config = api.defaultConfig();
  const store = new api.Store();
  const start = api.fullState(api.extract(files, config, store).facts, config);
  const edit = { path: 'deploy/production/b.yaml', text: manifest(8003) };
  const after = files.map((f) => (f.path === edit.path ? edit : f));
  const fast = api.extract(after, config, store);
  const state = api.updateState(start, fast.facts, config, { changed: fast.changed, maxShare: 1 });
  assert.equal(state.last.mode, 'incremental');
  assertCold(state, after, config, 'after editing the second production manifest');
});

test('a file read as nothing that gains a note (a YAML alias naming no anchor) reports it after the edit, as a cold evaluation does', () => {
  // Found by the fuzz test: .portparity.yaml beside a chart became "  *areference: " and only the cold run noted it.
  const files = [
    { path: '.portparity.yaml', text: 'reference: staging\n' },
    { path: 'deploy/web.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n' },
  ];
  const config = api.defaultConfig();
  const store = new api.Store();
  const start = api.fullState(api.extract(files, config, store).facts, config);
  const edit = { path: '.portparity.yaml', text: '  *areference: \n' };
  const after = files.map((f) => (f.path === edit.path ? edit : f));
  const fast = api.extract(after, config, store);
  assert.equal(fast.looked, 'edited', 'only the edited file is read again');
  const state = api.updateState(start, fast.facts, config, { changed: fast.changed, maxShare: 1 });
  assert.ok(state.analysis.findings.some((f) => f.rule === 'skipped-source' && f.loc.file === '.portparity.yaml'), 'the alias note is reported');
  assertCold(state, after, config, 'after editing .portparity.yaml');
});
