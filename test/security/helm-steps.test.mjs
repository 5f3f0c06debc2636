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
    const total = run(api.extractSteps(files, config, new Map(), none));
    if (total === 0) continue;
    for (let stop = 0; stop <= total; stop++) {
      const cache = new Map();
      const first = run(api.extractSteps(files, config, cache, none), stop);
      // A new run (after an edit elsewhere, say) starts after what the abandoned one rendered.
      assert.equal(first + run(api.extractSteps(files, config, cache, none)), total, `${dir}: stopped after ${stop}`);
      assert.equal(run(api.extractSteps(files, config, cache, none)), 0, `${dir}: nothing left to render`);
      assertCold(api.extractAll(files, config, cache), files, config, `${dir}: stopped after ${stop}`);
      checked++;
    }
  }
  assert.ok(checked > 10, `checked ${checked}`);
});

test('after an edit in a chart, the steps render that chart and extractChanged finds it in the memo', () => {
  let checked = 0;
  for (const dir of workspaces) {
    const { files, config } = api.readWorkspace(dir);
    for (const f of files) {
      const m = /\b([1-9]\d{1,4})\b/.exec(f.text);
      if (!m || !/(values[^/]*|templates\/[^/]+)\.ya?ml$/.test(f.path)) continue;
      const cache = new Map();
      api.extractAll(files, config, cache);
      const e = { path: f.path, text: f.text.slice(0, m.index) + String(Number(m[1]) + 1) + f.text.slice(m.index + m[1].length) };
      const next = files.map((x) => (x.path === e.path ? e : x));
      // Another file's edit renders nothing; this one renders its chart's environments, once.
      assert.equal(run(api.extractSteps(next, config, cache, none, ['docker-compose.yml'])), 0);
      const n = run(api.extractSteps(next, config, cache, none, [e.path]));
      if (n === 0) continue;
      assert.equal(run(api.extractSteps(next, config, cache, none, [e.path])), 0, `${dir}: ${e.path} rendered once`);
      const changed = api.extractChanged([e], config, cache);
      assert.ok(changed, `${dir}: ${e.path} takes the fast path`);
      assertCold(changed.facts, next, config, `${dir}: after editing ${e.path}`);
      checked++;
    }
  }
  assert.ok(checked > 5, `checked ${checked}`);
});
