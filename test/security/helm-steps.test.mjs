// Issue 15.2, the core side of the language server's sliced evaluation: extractSteps renders each stale
// chart environment once, in steps that may be abandoned at any point (what was rendered is kept), and
// the extraction that follows finds every render in the memo and equals a cold analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import api from '../../dist/api.js';

const root = new URL('../..', import.meta.url).pathname;
const workspaces = [join(root, 'examples/shop'), ...readdirSync(join(root, 'test/unit/fixtures/helm')).map((c) => join(root, 'test/unit/fixtures/helm', c))];
const key = (f) => `${f.rule} ${f.severity} ${f.loc.file}:${f.loc.start}-${f.loc.end} ${f.message}`;
const none = () => ({});

/** Runs at most `max` steps; how many ran. */
function run(steps, max = Infinity) {
  let n = 0;
  while (n < max && !steps.next().done) n++;
  return n;
}

function assertCold(facts, files, config, what) {
  const cold = api.analyze(files, config);
  const warm = api.analyzeFacts(facts, config);
  assert.deepEqual(warm.findings.map(key), cold.findings.map(key), what);
  assert.deepEqual(warm.suppressed.map(key), cold.suppressed.map(key), what);
}

test('steps stopped after any number and run again render each chart environment once; the extraction then equals a cold one', () => {
  let checked = 0;
  for (const dir of workspaces) {
    const { files, config } = api.readWorkspace(dir);
    const total = run(api.extractSteps(files, config, new api.Store(), none));
    if (total === 0) continue;
    for (let stop = 0; stop <= total; stop++) {
      const store = new api.Store();
      const first = run(api.extractSteps(files, config, store, none), stop);
      // A new run (after an edit elsewhere, say) starts after what the abandoned one rendered.
      assert.equal(first + run(api.extractSteps(files, config, store, none)), total, `${dir}: stopped after ${stop}`);
      assert.equal(run(api.extractSteps(files, config, store, none)), 0, `${dir}: nothing left to render`);
      assertCold(api.extract(files, config, store).facts, files, config, `${dir}: stopped after ${stop}`);
      checked++;
    }
  }
  assert.ok(checked > 10, `checked ${checked}`);
});

test('after an edit in a chart, the steps render that chart, and the extraction that follows finds it in the store', () => {
  let checked = 0;
  for (const dir of workspaces) {
    const { files, config } = api.readWorkspace(dir);
    for (const f of files) {
      const m = /\b([1-9]\d{1,4})\b/.exec(f.text);
      if (!m || !/(values[^/]*|templates\/[^/]+)\.ya?ml$/.test(f.path)) continue;
      const store = new api.Store();
      api.extract(files, config, store);
      const e = { path: f.path, text: f.text.slice(0, m.index) + String(Number(m[1]) + 1) + f.text.slice(m.index + m[1].length) };
      const next = files.map((x) => (x.path === e.path ? e : x));
      // An edit outside the charts renders nothing; this one renders its chart's environments, once.
      const outside = files.find((x) => !x.path.includes('/') && x.path !== 'Chart.yaml' && /\.ya?ml$/.test(x.path));
      if (outside) assert.equal(run(api.extractSteps(files.map((x) => (x === outside ? { path: x.path, text: `${x.text}\n# edited\n` } : x)), config, store, none)), 0, `${dir}: an edit of ${outside.path}`);
      const n = run(api.extractSteps(next, config, store, none));
      if (n === 0) continue;
      assert.equal(run(api.extractSteps(next, config, store, none)), 0, `${dir}: ${e.path} rendered once`);
      const after = api.extract(next, config, store);
      assert.equal(after.looked, 'edited', `${dir}: ${e.path} runs again only what read it`);
      assertCold(after.facts, next, config, `${dir}: after editing ${e.path}`);
      checked++;
    }
  }
  assert.ok(checked > 5, `checked ${checked}`);
});
