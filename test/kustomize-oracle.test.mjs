// The Kustomize renderer against `kubectl kustomize`: for every overlay of the Kustomize fixtures, the
// effective ports Port Parity renders (per workload and container: containerPorts with names and
// protocols, probe ports, literal env values, ConfigMap references, pod labels; per Service: port,
// targetPort, name, selector; per ConfigMap: its data; Ingress and route backends)
// must equal what kubectl renders. Overlays with a remote resource are left out (no network here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import api from '../dist/api.js';

const { extractAll, readWorkspace } = api;
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'unit', 'fixtures', 'kustomize');
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const skip = kubectl.error || kubectl.status !== 0 ? 'kubectl is not on PATH: the Kustomize oracle needs `kubectl kustomize`' : false;

const WORKLOADS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);

function podSpec(o) {
  if (o.kind === 'Pod') return { spec: o.spec ?? {}, labels: o.metadata?.labels ?? {} };
  const t = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
  return { spec: t?.spec ?? {}, labels: t?.metadata?.labels ?? {} };
}

const sortBy = (list) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const sortKeys = (m) => Object.fromEntries(Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b)));

/** A generated ConfigMap's name without the content hash Kustomize appends (Port Parity keeps the plain name). */
const plain = (name) => name.replace(/-[a-z0-9]{10}$/, '');

/**
 * What the process sees of the rendered env: the kubelet expands `$(NAME)` of a variable set earlier in
 * the list, and `$$` is an escaped `$` (Kubernetes' documented expansion, written out here on its own).
 */
function kubeletEnv(pairs) {
  const set = new Map();
  return pairs.map(([name, value]) => {
    let out = '';
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '$' && value[i + 1] === '$') {
        out += '$';
        i++;
      } else if (value[i] === '$' && value[i + 1] === '(' && value.indexOf(')', i) > 0) {
        const end = value.indexOf(')', i);
        const ref = value.slice(i + 2, end);
        out += set.has(ref) ? set.get(ref) : value.slice(i, end + 1);
        i = end;
      } else out += value[i];
    }
    set.set(name, out);
    return [name, out];
  });
}

function containerView(c, init) {
  const probes = [];
  for (const kind of ['liveness', 'readiness', 'startup']) {
    const p = c[`${kind}Probe`];
    for (const type of ['httpGet', 'tcpSocket', 'grpc']) if (p?.[type]?.port !== undefined) probes.push([kind, type, String(p[type].port)]);
  }
  return {
    name: c.name,
    init,
    ports: sortBy((c.ports ?? []).map((p) => [p.containerPort, p.name ?? null, p.protocol ?? 'TCP'])),
    probes: sortBy(probes),
    // A value kustomize substitutes (a var) comes out unquoted: 9090 reads back as a number.
    env: sortBy(kubeletEnv((c.env ?? []).filter((e) => ['string', 'number', 'boolean'].includes(typeof e.value)).map((e) => [e.name, String(e.value)]))),
    envFrom: (c.envFrom ?? []).filter((e) => e.configMapRef).map((e) => plain(e.configMapRef.name)),
    envRefs: sortBy((c.env ?? []).filter((e) => e.valueFrom?.configMapKeyRef).map((e) => [e.name, plain(e.valueFrom.configMapKeyRef.name), e.valueFrom.configMapKeyRef.key])),
  };
}

/** What kubectl rendered, reduced to the port facts. */
function fromKubectl(text) {
  const out = { workloads: [], services: [], configMaps: [], backends: [] };
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS();
    if (!o?.kind) continue;
    const ns = o.metadata?.namespace ?? 'default';
    if (WORKLOADS.has(o.kind)) {
      const { spec, labels } = podSpec(o);
      out.workloads.push({
        id: `${o.kind}/${ns}/${o.metadata.name}`,
        labels: sortKeys(labels),
        containers: [...(spec.containers ?? []).map((c) => containerView(c, false)), ...(spec.initContainers ?? []).map((c) => containerView(c, true))],
      });
    } else if (o.kind === 'Ingress') {
      const list = [o.spec?.defaultBackend, ...(o.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))].filter((b) => b?.service);
      for (const b of list) out.backends.push([o.kind, ns, b.service.name, String(b.service.port?.number ?? b.service.port?.name ?? null)]);
    } else if (/Route$/.test(o.kind)) {
      for (const r of o.spec?.rules ?? []) for (const b of r.backendRefs ?? []) if ((b.kind ?? 'Service') === 'Service') out.backends.push([o.kind, b.namespace ?? ns, b.name, String(b.port ?? null)]);
    } else if (o.kind === 'ConfigMap') {
      out.configMaps.push({ id: `${ns}/${plain(o.metadata.name)}`, data: sortBy(Object.entries(o.data ?? {})) });
    } else if (o.kind === 'Service') {
      const sel = o.spec?.selector && Object.keys(o.spec.selector).length ? sortKeys(o.spec.selector) : null;
      out.services.push({ id: `${ns}/${o.metadata.name}`, selector: sel, ports: sortBy((o.spec?.ports ?? []).map((p) => [p.port, p.targetPort === undefined ? null : String(p.targetPort), p.name ?? null, p.protocol ?? 'TCP'])) });
    }
  }
  out.workloads.sort((a, b) => a.id.localeCompare(b.id));
  out.services.sort((a, b) => a.id.localeCompare(b.id));
  out.configMaps.sort((a, b) => a.id.localeCompare(b.id));
  out.backends = sortBy(out.backends);
  return out;
}

/** What Port Parity rendered, reduced the same way. */
function fromRender(f) {
  const port = (v) => (v === undefined ? null : String(v.port ?? v.name));
  return {
    workloads: f.workloads
      .map((w) => ({
        id: `${w.kind}/${w.namespace}/${w.name}`,
        labels: sortKeys(w.labels),
        containers: w.containers.map((c) => ({
          name: c.name,
          init: c.init,
          ports: sortBy(c.ports.map((p) => [p.containerPort.port, p.name ?? null, p.protocol])),
          probes: sortBy(c.probes.map((p) => [p.kind, p.type, port(p.port)])),
          env: sortBy(c.env.map((e) => [e.name, e.value])),
          envFrom: c.envFrom,
          envRefs: sortBy(c.envRefs.map((r) => [r.name, r.configMap, r.key])),
        })),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    services: f.services
      .map((s) => ({ id: `${s.namespace}/${s.name}`, selector: s.selector ? sortKeys(s.selector) : null, ports: sortBy(s.ports.map((p) => [p.port.port, port(p.targetPort), p.name ?? null, p.protocol])) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    configMaps: f.configMaps.map((c) => ({ id: `${c.namespace}/${c.name}`, data: sortBy(c.data.map((e) => [e.name, e.value])) })).sort((a, b) => a.id.localeCompare(b.id)),
    backends: sortBy(f.backends.map((b) => [b.from.split(' ')[0], b.namespace, b.service, String(b.port ? (b.port.port ?? b.port.name) : null)])),
  };
}

const RULE_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function hasKustomization(dir) {
  return readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? hasKustomization(join(dir, e.name)) : /^(kustomization\.ya?ml|Kustomization)$/.test(e.name)));
}

/** The Kustomize fixtures, and every rule fixture case that holds a kustomization. */
function cases() {
  const dirs = (root) => readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory()).sort();
  const out = dirs(FIXTURES).map((n) => ({ name: n, root: join(FIXTURES, n) }));
  for (const rule of dirs(RULE_FIXTURES)) for (const c of dirs(join(RULE_FIXTURES, rule))) if (hasKustomization(join(RULE_FIXTURES, rule, c))) out.push({ name: `${rule}/${c}`, root: join(RULE_FIXTURES, rule, c) });
  return out;
}

for (const { name, root } of cases()) {
  const ws = readWorkspace(root);
  const renders = extractAll(ws.files, ws.config).filter((f) => f.kind === 'kubernetes' && f.renderedFrom?.startsWith('kustomization'));
  for (const f of renders) {
    const remote = (f.unknowns ?? []).some((u) => /^remote /.test(u.message));
    const dir = f.renderedFrom.replace(/^kustomization /, '');
    test(`kustomize oracle › ${name}/${dir} renders the ports kubectl kustomize renders`, { skip: skip || (remote && 'has a remote resource (no network)') }, () => {
      const r = spawnSync('kubectl', ['kustomize', join(root, dir)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `kubectl kustomize ${dir} failed: ${r.stderr}`);
      assert.deepEqual(fromRender(f), fromKubectl(r.stdout));
    });
  }
}
