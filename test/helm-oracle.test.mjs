// Port Parity's chart evaluator against `helm template`: real charts with the values of each of their
// examples and the manifests helm rendered for them. The charts vendored in test/oracle/helm/ (each with a
// NOTICE naming its source) always run; the opentelemetry-collector chart is kept outside the repository
// (`../shared/oracle/helm` from the repository root, `/work/shared/oracle/helm`, or the folder
// PORT_PARITY_HELM_ORACLE names) and is skipped, saying where it looked, when absent. Per workload
// (kind/name) the container ports (name, containerPort, protocol) and probe ports, and per Service its
// ports (port, targetPort, name, protocol), must be helm's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import core from '../dist/core.js';

const { extractAll } = core;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TRIED = [process.env.PORT_PARITY_HELM_ORACLE, join(ROOT, '..', 'shared', 'oracle', 'helm'), '/work/shared/oracle/helm'].filter(Boolean);
const ORACLE = TRIED.find((p) => existsSync(p) && statSync(p).isDirectory());
const VENDORED = join(ROOT, 'test', 'oracle', 'helm');
const SKIP = ORACLE ? false : `no Helm oracle: tried ${TRIED.join(', ')} (set PORT_PARITY_HELM_ORACLE to a folder of charts with examples/<name>/values.yaml and examples/<name>/rendered/)`;

/**
 * The release helm rendered the examples as: `example` (opentelemetry-helm-charts' `make generate-examples`), or
 * what the chart's `oracle.json` says (`{"release": "chartsnap"}`). The evaluator's release is the chart's name, so
 * helm's `<release>-` prefix is taken off the names it wrote, unless the release is the chart's name.
 */
function releaseOf(dir) {
  return oracleOf(dir).release ?? 'example';
}

/**
 * A chart's `oracle.json`: `release`, and `notes`, the beginnings (`file:line message`) of the notes the evaluator
 * must give because what they name cannot be known statically (a dependency the repository does not hold, a file
 * Port Parity does not read). Any other note fails the example: a chart helm renders needs none.
 */
function oracleOf(dir) {
  const f = join(dir, 'oracle.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : {};
}

const WORKLOADS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);

/** Every file under `dir` but `examples/`, as the core reads a workspace, under `prefix`. */
function load(dir, prefix) {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (d === dir && (e === 'examples' || e === 'oracle.json')) continue;
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ path: `${prefix}/${relative(dir, p).split(sep).join('/')}`, text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return files;
}

const byName = (list) => [...list].sort((a, b) => String(a.name).localeCompare(String(b.name)));
const sorted = (list) => [...list].map((x) => JSON.stringify(x)).sort();
const port = (v) => (v === undefined || v === null ? null : typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : String(v));

function podSpec(o) {
  if (o.kind === 'Pod') return o.spec ?? {};
  return (o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec) ?? {};
}

/** The files under `dir`, its subfolders' too (helm writes `templates/<sub>/x.yaml` as `rendered/<sub>/x.yaml`). */
function filesUnder(dir) {
  return readdirSync(dir).sort().flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

/** What helm rendered: `kind/name` → ports, for workloads and Services. */
function helmPorts(renderedDir, release) {
  const out = {};
  for (const f of filesUnder(renderedDir)) {
    for (const doc of parseAllDocuments(readFileSync(f, 'utf8'))) {
      const o = doc.toJSON();
      if (!o || typeof o !== 'object' || !o.kind) continue;
      // Chart hooks (`helm test` pods, migration jobs) run and exit around an install; the evaluator leaves them out by design.
      if (o.metadata?.annotations?.['helm.sh/hook'] !== undefined) continue;
      const written = String(o.metadata?.name ?? '');
      const name = release && written.startsWith(`${release}-`) ? written.slice(release.length + 1) : written;
      if (WORKLOADS.has(o.kind)) {
        const spec = podSpec(o);
        const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
        out[`${o.kind}/${name}`] = byName(containers).map((c) => ({
          container: c.name,
          ports: sorted((c.ports ?? []).map((p) => ({ name: p.name ?? null, containerPort: port(p.containerPort), protocol: p.protocol ?? 'TCP' }))),
          probes: sorted(['liveness', 'readiness', 'startup'].flatMap((k) => {
            const p = c[`${k}Probe`];
            const how = p?.httpGet ?? p?.tcpSocket ?? p?.grpc;
            return how ? [{ kind: k, port: port(how.port) }] : [];
          })),
        }));
      } else if (o.kind === 'Service') {
        out[`Service/${name}`] = sorted((o.spec?.ports ?? []).map((p) => ({ name: p.name ?? null, port: port(p.port), targetPort: port(p.targetPort ?? p.port), protocol: p.protocol ?? 'TCP' })));
      }
    }
  }
  return out;
}

const pv = (v) => (v ? (v.port ?? v.name ?? null) : null);

/** What Port Parity rendered, in the same shape. */
function ownPorts(render) {
  const out = {};
  for (const w of render.workloads) {
    out[`${w.kind}/${w.name}`] = byName(w.containers).map((c) => ({
      container: c.name,
      ports: sorted(c.ports.map((p) => ({ name: p.name ?? null, containerPort: pv(p.containerPort), protocol: p.protocol }))),
      probes: sorted(c.probes.filter((p) => p.kind !== 'healthcheck' && p.type !== 'command').map((p) => ({ kind: p.kind, port: pv(p.port) }))),
    }));
  }
  for (const s of render.services) out[`Service/${s.name}`] = sorted(s.ports.map((p) => ({ name: p.name ?? null, port: pv(p.port), targetPort: pv(p.targetPort ?? p.port), protocol: p.protocol })));
  return out;
}

/**
 * Our names as helm's: a template that writes `{{ .Release.Name }}-x` gives helm's `<release>-x`, which the
 * comparison knows as `x`, and ours `<chart>-x`; such a name of ours is helm's `x` when helm has an `x` and we do not.
 */
function sameNames(ours, theirs, chartName) {
  const out = {};
  for (const [key, v] of Object.entries(ours)) {
    const [kind, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const short = name.startsWith(`${chartName}-`) ? `${kind}/${name.slice(chartName.length + 1)}` : undefined;
    out[short && !(key in theirs) && short in theirs && !(short in ours) ? short : key] = v;
  }
  return out;
}

/** The charts of an oracle folder and their examples. */
function cases(oracle, skip) {
  if (!oracle || !existsSync(oracle)) return [];
  const out = [];
  for (const chart of readdirSync(oracle).sort()) {
    const dir = join(oracle, chart);
    if (!existsSync(join(dir, 'Chart.yaml')) || !existsSync(join(dir, 'examples'))) continue;
    for (const ex of readdirSync(join(dir, 'examples')).sort()) {
      const here = join(dir, 'examples', ex);
      // `values.yaml`, else every `*values.yaml` of the example, each a release of its own (the chart's CI renders each into rendered/).
      const names = readdirSync(here).filter((f) => /values\.ya?ml$/.test(f)).sort();
      const values = (names.includes('values.yaml') ? ['values.yaml'] : names).map((f) => join(here, f));
      const rendered = join(here, 'rendered');
      if (values.length && existsSync(rendered)) out.push({ chart, dir, ex, values, rendered, skip });
    }
  }
  return out;
}

/**
 * Examples whose render is still not helm's, each with the reason; the test of each is a `todo` (it runs
 * and says what differs, without failing the suite) until the evaluator renders it as helm does.
 */
const KNOWN_DIFFERENT = {};

const shared = cases(ORACLE, SKIP);
const vendored = cases(VENDORED, false);
test('helm oracle: the shared oracle folder holds examples', { skip: SKIP }, () => {
  assert.ok(shared.length > 0, `no chart with examples/<name>/{values.yaml,rendered/} under ${ORACLE}`);
});
test('helm oracle: the vendored oracle charts hold examples', () => {
  assert.ok(vendored.length > 0, `no chart with examples/<name>/{values.yaml,rendered/} under ${VENDORED}`);
});

for (const c of [...shared, ...vendored]) {
  const key = `${c.chart}/${c.ex}`;
  test(`helm oracle › ${key}: the evaluator renders helm's container, probe and Service ports`, { skip: c.skip, todo: KNOWN_DIFFERENT[key] }, () => {
    const files = load(c.dir, 'chart');
    // Each values file of the example as an environment's values file over the chart's values.yaml (`helm template -f`).
    const envs = ['production', 'staging', 'test'];
    assert.ok(c.values.length <= envs.length, `at most ${envs.length} values files`);
    c.values.forEach((v, i) => files.push({ path: `chart/values-${envs[i]}.yaml`, text: readFileSync(v, 'utf8') }));
    const renders = extractAll(files).filter((f) => f.kind === 'kubernetes' && f.renderedFrom);
    assert.deepEqual(renders.map((r) => r.env).sort(), envs.slice(0, c.values.length).sort(), 'a render per values file');
    const notes = renders.flatMap((r) => r.unknowns ?? []).map((u) => `${u.loc.file}:${u.loc.line + 1} ${u.message}`);
    const expected = oracleOf(c.dir).notes ?? [];
    assert.deepEqual(notes.filter((n) => !expected.some((e) => n.startsWith(e))), [], 'notes only for what cannot be known statically');
    const release = releaseOf(c.dir);
    const chartName = /^name:\s*["']?([^"'\s]+)/m.exec(readFileSync(join(c.dir, 'Chart.yaml'), 'utf8'))?.[1];
    const theirs = helmPorts(c.rendered, release === chartName ? '' : release);
    assert.deepEqual(sameNames(Object.assign({}, ...renders.map(ownPorts)), theirs, chartName), theirs, `notes:\n${notes.join('\n')}`);
  });
}
