// The benchmark's generator: deterministic, clean without drifts, and every planted drift found, for each
// variant (plain manifests, a Helm chart per service, Kustomize overlays per service). No timings here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import api from '../../dist/api.js';
import { buildMonorepo, DRIFTS, DRIFTS_BY_VARIANT, ensureMonorepo, GENERATOR_VERSION, treeDir, VARIANTS, writeMonorepo } from './generate.mjs';

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

// The charts and overlays variants: 100 services with a drift every 10 (i = 7, 17, ..., 97) plant one of each kind.
const VARIANT_SMALL = { services: 100, driftEvery: 10, nodeModulesPackages: 5, sources: false };

test('each variant is deterministic, and service i does not depend on N', () => {
  for (const variant of ['charts', 'overlays']) {
    const a = buildMonorepo({ ...VARIANT_SMALL, variant }).files;
    assert.deepEqual(buildMonorepo({ ...VARIANT_SMALL, variant }).files, a, variant);
    const small = buildMonorepo({ ...VARIANT_SMALL, services: 40, variant }).files;
    const same = variant === 'charts'
      ? ['services/svc-17/chart/values.yaml', 'services/svc-37/chart/templates/deployment.yaml', 'services/svc-7/chart/values-staging.yaml', 'services/svc-27/chart/values-production.yaml']
      : ['services/svc-17/k8s/base/deployment.yaml', 'services/svc-7/k8s/overlays/staging/port-patch.yaml', 'services/svc-27/k8s/overlays/production/deployment-patch.yaml', 'services/svc-37/k8s/overlays/production/kustomization.yaml'];
    for (const f of same) {
      assert.ok(a[f], `${variant}: ${f} is generated`);
      assert.equal(small[f], a[f], `${variant}: ${f}`);
    }
    assert.notDeepEqual(buildMonorepo({ ...VARIANT_SMALL, variant, seed: 1 }).files, a, variant);
    // The Kubernetes side is the variant's own: no plain manifests beside the charts or overlays.
    assert.ok(!Object.keys(a).some((f) => f.startsWith('deploy/')), `${variant}: deploy/ manifests`);
  }
  const charts = buildMonorepo({ ...VARIANT_SMALL, variant: 'charts' }).files;
  for (const f of ['Chart.yaml', 'values.yaml', 'values-staging.yaml', 'values-production.yaml', 'templates/deployment.yaml', 'templates/service.yaml', 'templates/_helpers.tpl']) {
    assert.ok(charts[`services/svc-3/chart/${f}`], `chart file ${f}`);
  }
  assert.match(charts['services/svc-3/chart/templates/deployment.yaml'], /containerPort: \{\{ \.Values\.service\.port \}\}/);
  assert.match(charts['services/svc-3/chart/templates/service.yaml'], /targetPort: http\n/);
  const overlays = buildMonorepo({ ...VARIANT_SMALL, variant: 'overlays' }).files;
  for (const f of ['base/deployment.yaml', 'base/service.yaml', 'base/kustomization.yaml', 'overlays/staging/kustomization.yaml', 'overlays/staging/deployment-patch.yaml', 'overlays/production/kustomization.yaml', 'overlays/production/deployment-patch.yaml']) {
    assert.ok(overlays[`services/svc-3/k8s/${f}`], `overlay file ${f}`);
  }
  assert.throws(() => buildMonorepo({ ...VARIANT_SMALL, variant: 'nope' }), /unknown variant/);
});

for (const variant of ['charts', 'overlays']) {
  test(`${variant}: without drifts the check finds nothing, and every chart or overlay renders`, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-bench-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeMonorepo(join(dir, 'mono'), { ...VARIANT_SMALL, services: 40, driftEvery: 0, sources: true, variant });
    const { ws, result } = check(join(dir, 'mono'));
    assert.deepEqual(result.findings.map((f) => `${f.rule} ${f.loc.file}: ${f.message}`), []);
    assert.deepEqual(result.facts.filter((f) => f.kind === 'kubernetes' && f.unknowns?.length).map((f) => f.unknowns.map((u) => u.message)), [], 'nothing left unchecked');
    assert.ok(!ws.files.some((f) => /node_modules\/|\/dist\/|\/testdata\//.test(f.path)), 'skipped folders were read');
    // A staging and a production render per service, nothing else from Kubernetes.
    const renders = result.facts.filter((f) => f.kind === 'kubernetes');
    assert.equal(renders.length, 40 * 2);
    assert.ok(renders.every((f) => f.renderedFrom && (f.env === 'staging' || f.env === 'production')), 'renders per environment');
    assert.equal(result.model.services.size, 40);
    assert.deepEqual(result.model.envs, ['local', 'staging', 'production']);
  });

  test(`${variant}: every planted drift gives its finding, and nothing is found off the planted services`, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-bench-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { manifest } = ensureMonorepo(treeDir(dir, variant, VARIANT_SMALL.services), { ...VARIANT_SMALL, variant });
    assert.equal(manifest.variant, variant);
    assert.deepEqual(manifest.planted.map((p) => p.kind), DRIFTS_BY_VARIANT[variant].map((d) => d.kind));
    const { result } = check(treeDir(dir, variant, VARIANT_SMALL.services));
    for (const p of manifest.planted) {
      assert.ok(result.findings.some((f) => f.rule === p.rule && f.loc.file === p.file), `${p.kind} in ${p.service}: no ${p.rule} at ${p.file}`);
    }
    const planted = new Set(manifest.planted.map((p) => p.service));
    const files = new Set(manifest.planted.flatMap((p) => [p.file, p.plantedIn]));
    assert.deepEqual(result.findings.filter((f) => !planted.has(f.service) && !files.has(f.loc.file)).map((f) => `${f.rule} ${f.loc.file}: ${f.message}`), []);
  });
}

test('the variant is part of the tree: its folder name and its manifest', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-bench-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(VARIANTS, ['manifests', 'charts', 'overlays']);
  assert.equal(treeDir('.bench', 'charts', 1000), join('.bench', 'mono-charts-1000'));
  const tiny = { services: 10, nodeModulesPackages: 1, sources: false };
  const at = join(dir, 'tiny');
  const first = ensureMonorepo(at, tiny);
  assert.equal(first.generated, true);
  assert.equal(first.manifest.variant, 'manifests');
  assert.equal(ensureMonorepo(at, { ...tiny, variant: 'manifests' }).generated, false);
  const charts = ensureMonorepo(at, { ...tiny, variant: 'charts' });
  assert.equal(charts.generated, true, 'a change of variant regenerates the tree');
  assert.equal(charts.manifest.variant, 'charts');
  assert.equal(ensureMonorepo(at, { ...tiny, variant: 'charts' }).generated, false);
  assert.equal(ensureMonorepo(at, { ...tiny, variant: 'overlays' }).generated, true);
});
