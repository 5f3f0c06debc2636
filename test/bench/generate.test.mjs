// The benchmark's generator: deterministic, clean without drifts, and every planted drift found. No timings here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import api from '../../dist/api.js';
import { buildMonorepo, DRIFTS, ensureMonorepo, GENERATOR_VERSION, writeMonorepo } from './generate.mjs';

// 500 services: one drift of each kind (i = 7, 57, ..., 457); little node_modules and no sources keep it quick.
const SMALL = { services: 500, nodeModulesPackages: 5, sources: false };

function check(dir) {
  const ws = api.readWorkspace(dir);
  return { ws, result: api.analyze(ws.files, ws.config) };
}

test('the same seed gives the same tree, and service i does not depend on N', () => {
  const a = buildMonorepo(SMALL).files;
  const b = buildMonorepo(SMALL).files;
  assert.deepEqual(a, b);
  const small = buildMonorepo({ ...SMALL, services: 60 }).files;
  for (const f of ['services/svc-42/Dockerfile', 'deploy/staging/svc-7.yaml', 'services/svc-59/.env']) assert.equal(small[f], a[f], f);
  const other = buildMonorepo({ ...SMALL, seed: 1 }).files;
  assert.notDeepEqual(other, a);
});

test('without drifts the check finds nothing, and skips node_modules, .gitignore and config ignores', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-bench-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const info = writeMonorepo(join(dir, 'mono'), { ...SMALL, services: 100, sources: true, driftEvery: 0 });
  assert.equal(info.planted.length, 0);
  const { ws, result } = check(join(dir, 'mono'));
  assert.deepEqual(result.findings.map((f) => `${f.rule} ${f.loc.file}: ${f.message}`), []);
  assert.ok(!ws.files.some((f) => /node_modules\/|\/dist\/|\/testdata\//.test(f.path)), 'skipped folders were read');
  // Per service: Dockerfile, .env, two manifests; per stack: compose file and .env; two workflows, .portparity.yaml.
  assert.equal(ws.files.length, 100 * 4 + 1 * 2 + 3);
  assert.equal(result.model.services.size, 100);
  assert.deepEqual(result.model.envs, ['local', 'staging', 'production']);
});

test('every planted drift gives its finding, and nothing is found off the planted services', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-bench-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { manifest } = ensureMonorepo(join(dir, 'mono'), SMALL);
  assert.equal(manifest.generatorVersion, GENERATOR_VERSION);
  assert.deepEqual(manifest.planted.map((p) => p.kind), DRIFTS.map((d) => d.kind));
  const { result } = check(join(dir, 'mono'));
  for (const p of manifest.planted) {
    assert.ok(result.findings.some((f) => f.rule === p.rule && f.loc.file === p.file), `${p.kind} in ${p.service}: no ${p.rule} at ${p.file}`);
  }
  const planted = new Set(manifest.planted.map((p) => p.service));
  const files = new Set(manifest.planted.map((p) => p.file));
  assert.deepEqual(result.findings.filter((f) => !planted.has(f.service) && !files.has(f.loc.file)).map((f) => f.message), []);
  // An up-to-date tree is reused as it is; other options regenerate it.
  assert.equal(ensureMonorepo(join(dir, 'mono'), SMALL).generated, false);
  const tiny = { ...SMALL, services: 10 };
  assert.equal(ensureMonorepo(join(dir, 'tiny'), tiny).generated, true);
  assert.equal(ensureMonorepo(join(dir, 'tiny'), tiny).generated, false);
  assert.equal(ensureMonorepo(join(dir, 'tiny'), { ...tiny, seed: 7 }).generated, true);
});
