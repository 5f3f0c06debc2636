// Kubernetes objects into the model (plain manifests and chart and overlay renders alike): workloads
// keyed by identity (`staging-api` and `api-prod` from one base are `api`), each in its environment or,
// unmarked, in every base environment where no marked one of the same name overrides it; Services with
// the pods they select, ConfigMaps into the containers that load them, routes and NetworkPolicies.
import { ensureUnits, imageBase, mergeByFile, push, unitKey, unitsOf } from '../../join';
import type { FormatJoin, Join, Placement, PlaceContext, RelationSink, UnitKey } from '../../join';
import type { EnvView, Model } from '../../model-types';
import { commonFolder, dirOf } from '../../paths';
import { kubernetesHosts } from './hosts';
import { near } from './rules/near';
import type { EnvVar, K8sBackend, K8sConfigMap, K8sContainer, K8sFacts, K8sNetworkPolicy, K8sService, K8sWorkload } from '../../types';

export interface WorkloadUnit {
  workload: K8sWorkload;
  file: string;
  /** The service's own container; the others are sidecars. */
  main?: K8sContainer;
  service: string;
  /** The main container's variables from ConfigMaps (`envFrom`, then `configMapKeyRef`), resolved per environment. */
  configEnv: Map<string, EnvVar[]>;
  /**
   * Per environment, the variant it is (its file) where another file defines the same workload there
   * too: a chart beside plain manifests, a `k8s-grpc/` tree beside `k8s/`, `bookinfo-psa.yaml` beside
   * `bookinfo.yaml`. Only one of them is applied; each is compared on its own.
   */
  variantIn: Map<string, string>;
}

export interface ServiceUnit {
  svc: K8sService;
  file: string;
  /** Workloads in the same environment and namespace whose pod labels match the selector. */
  selected: WorkloadUnit[];
}

/** What Kubernetes gives a view: the service's workloads and the Services that route to them. */
export interface K8sView {
  workloads: WorkloadUnit[];
  services: ServiceUnit[];
}

/** The model's Kubernetes objects by environment. */
export interface K8sIndex {
  workloadsByEnv: Map<string, WorkloadUnit[]>;
  /** Every Kubernetes Service by environment, with the workloads it selects. */
  servicesByEnv: Map<string, ServiceUnit[]>;
  /** Ingress and Gateway API backends by environment. */
  backendsByEnv: Map<string, { backend: K8sBackend; file: string }[]>;
  /** NetworkPolicies by environment. */
  policiesByEnv: Map<string, { policy: K8sNetworkPolicy; file: string }[]>;
  configMaps: Map<string, K8sConfigMap>;
  /** Pods by `env|namespace|label=value`, for selectors (see selectFrom); built on first use. */
  podIndex: () => Map<string, WorkloadUnit[]>;
}

const VIEW: UnitKey<K8sView> = unitKey('kubernetes');
const INDEX = 'kubernetes';

export function workloadsOf(v: EnvView): WorkloadUnit[] {
  return unitsOf(v, VIEW)?.workloads ?? [];
}

export function k8sServicesOf(v: EnvView): ServiceUnit[] {
  return unitsOf(v, VIEW)?.services ?? [];
}

const EMPTY: K8sIndex = newIndex();

export function k8sIndex(model: Pick<Model, 'indexes'>): K8sIndex {
  return (model.indexes.get(INDEX) as K8sIndex | undefined) ?? EMPTY;
}

export function newIndex(parts: Partial<K8sIndex> = {}): K8sIndex {
  const workloadsByEnv = parts.workloadsByEnv ?? new Map<string, WorkloadUnit[]>();
  let pods: Map<string, WorkloadUnit[]> | undefined;
  return {
    workloadsByEnv,
    servicesByEnv: parts.servicesByEnv ?? new Map(),
    backendsByEnv: parts.backendsByEnv ?? new Map(),
    policiesByEnv: parts.policiesByEnv ?? new Map(),
    configMaps: parts.configMaps ?? new Map(),
    // Built once every workload is placed (Services select among them), on first use.
    podIndex: () => (pods ??= indexPods(workloadsByEnv)),
  };
}

function indexOf(at: PlaceContext): K8sIndex {
  return at.index(INDEX, () => newIndex());
}

function view(at: PlaceContext, key: string, env: string): K8sView {
  return ensureUnits(at.views.view(key, env), VIEW, () => ({ workloads: [], services: [] }));
}

/** Proxies, agents and collectors that ride along in a pod: never the service's own container by default. */
const SIDECAR = /(^|[-_])(proxy|proxyv2|sidecar|agent|envoy|collector|otelcol(-contrib)?|fluent-?bit|fluentd|filebeat|vault)([-_]|$)/i;

/** The service's own container: named like the workload or the service, else the first app container that is not a known sidecar. */
function mainContainer(w: K8sWorkload, names: string[]): K8sContainer | undefined {
  const apps = w.containers.filter((c) => !c.init);
  // A cloud-sql-proxy or envoy listed first is not the app: taking it would compare the sidecar's port.
  const notSidecar = apps.find((c) => !SIDECAR.test(c.name) && !SIDECAR.test(imageBase(c.image) ?? ''));
  return apps.find((c) => names.includes(c.name)) ?? apps.find((c) => names.includes(imageBase(c.image) ?? '')) ?? notSidecar ?? apps[0];
}

export const kubernetesJoin: FormatJoin = {
  kind: 'kubernetes',
  order: 3,
  run(facts, { j }) {
    const workloads: { file: string; p: Placement }[] = [];
    const rest: Placement[] = [];
    const seen = new Map<string, Set<string>>();
    for (const f of facts as K8sFacts[]) {
      const env = f.env ?? j.marked(f.file);
      j.fileEnv.set(f.file, env);
      const app = j.appOf(f.file);
      for (const w of f.workloads) {
        const apps = w.containers.filter((c) => !c.init);
        const id = w.baseName ?? w.name;
        const key = workloadKey(j, app, w, `${env ?? ''}|${w.namespace}`, seen);
        j.claimIn(app, key, id, w.name);
        const main = mainContainer(w, [id, w.name, key, j.identity.get(key)?.name ?? key]);
        j.claimIn(app, key, imageBase(main?.image));
        const unit: WorkloadUnit = { workload: w, file: f.file, main, service: key, configEnv: new Map(), variantIn: new Map() };
        // A marked workload overrides the unmarked ones of its service (deploy/production/api.yaml over
        // deploy/base/api.yaml); one joined only by the image it runs is another workload, overriding none
        // (argocd's helm-guestbook chart in production runs guestbook/'s image: guestbook-ui stays).
        const plain = j.identity.get(key)?.name ?? key;
        const byName = [id, w.name, ...apps.map((c) => c.name)].includes(plain);
        workloads.push({ file: f.file, p: { env, policy: 'base', mark: byName ? `workload:${key}` : `workload:${key}|${id}`, counts: true, stage: 1, place: (e, at) => placeWorkload(e, unit, at) } });
      }
      for (const s of f.services) rest.push({ env, policy: 'base', mark: `service:${s.name}`, counts: true, stage: 2, place: (e, at) => placeService(e, s, f.file, at, j.keyIn(app, s.name)) });
      for (const c of f.configMaps) rest.push({ env, policy: 'base', mark: `configmap:${c.namespace}/${c.name}`, counts: false, stage: 2, place: (e, at) => void indexOf(at).configMaps.set(`${e}|${c.namespace}/${c.name}`, c) });
      for (const b of f.backends) rest.push({ env, policy: 'base', mark: `route:${b.namespace}|${b.from}`, counts: false, stage: 2, place: (e, at) => push(indexOf(at).backendsByEnv, e, { backend: b, file: f.file }) });
      for (const n of f.networkPolicies) rest.push({ env, policy: 'base', mark: `policy:${n.namespace}/${n.name}`, counts: false, stage: 2, place: (e, at) => push(indexOf(at).policiesByEnv, e, { policy: n, file: f.file }) });
    }
    // Where files define one workload twice, the first placed is the main definition: folder by folder
    // (`k8s/` before `k8s-grpc/`, `bookinfo.yaml` before `bookinfo-psa.yaml`), whatever order they came in.
    workloads.sort((a, b) => comparePaths(a.file, b.file));
    return [...workloads.map((w) => w.p), ...rest];
  },
  finish(at) {
    resolveConfigEnv(indexOf(at));
  },
  signature: (f) => (f.kind === 'kubernetes' ? signature(f) : ''),
  vars: (f) => (f.kind === 'kubernetes' ? [...f.workloads.flatMap((w) => w.containers.flatMap((c) => c.env)), ...f.configMaps.flatMap((c) => c.data)] : []),
  relate,
  hosts: kubernetesHosts,
  mergeIndex(whole, part, files) {
    const a = (whole as K8sIndex | undefined) ?? EMPTY;
    const b = (part as K8sIndex | undefined) ?? EMPTY;
    const inFiles = (u: { file: string }): boolean => files.has(u.file);
    // configMaps are read only while the model is built; a merged model is never built again.
    return newIndex({
      workloadsByEnv: mergeByFile(a.workloadsByEnv, b.workloadsByEnv, inFiles),
      servicesByEnv: mergeByFile(a.servicesByEnv, b.servicesByEnv, inFiles),
      backendsByEnv: mergeByFile(a.backendsByEnv, b.backendsByEnv, inFiles),
      policiesByEnv: mergeByFile(a.policiesByEnv, b.policiesByEnv, inFiles),
    });
  },
};

/**
 * A workload's service: the one its name names; else the one a container name or image names, unless
 * that service has another workload in the same environment and namespace (three StatefulSets of one
 * chart, each with a container named `seaweedfs`, are three services; `api-prod` in production beside
 * `api` in the base is api's); outside every application, the one whose compose project builds its
 * image. `seen`: each service's workloads so far, by `env|namespace|identity`.
 */
function workloadKey(j: Join, app: string | undefined, w: K8sWorkload, where: string, seen: Map<string, Set<string>>): string {
  const id = w.baseName ?? w.name;
  const apps = w.containers.filter((c) => !c.init);
  const images = apps.map((c) => imageBase(c.image));
  const other = (k: string): boolean => [...(seen.get(k) ?? [])].some((x) => x.startsWith(`${where}|`) && x !== `${where}|${id}`);
  let key = j.keyIn(app, id);
  if (!key) {
    const alias = j.keyIn(app, ...apps.map((c) => c.name), ...images) ?? j.byEvidence(app, images);
    key = alias !== undefined && !other(alias) ? alias : j.newKey(app, id);
  }
  seen.set(key, (seen.get(key) ?? new Set()).add(`${where}|${id}`));
  return key;
}

function signature(f: K8sFacts): string {
  return JSON.stringify([
    f.env,
    f.workloads.map((w) => [w.kind, w.name, w.namespace, w.labels, w.containers.map((c) => [c.name, c.image, c.init, c.nativeSidecar, c.envFrom, c.envRefs])]),
    f.services.map((s) => [s.name, s.namespace, s.selector]),
    f.configMaps.map((c) => [c.name, c.namespace]),
    f.backends.map((b) => [b.service, b.namespace]),
    f.networkPolicies.map((p) => [p.name, p.namespace, p.podSelector]),
  ]);
}

/** Services select pods (their owners' findings depend on them); routes and policies report at their files for whom they reach. */
function relate(model: Model, sink: RelationSink, wanted: (s: string | undefined) => s is string): void {
  const idx = k8sIndex(model);
  for (const units of idx.servicesByEnv.values()) {
    for (const u of units) {
      const owner = u.selected[0]?.service;
      if (!owner) continue;
      sink.host(u.svc.name, owner);
      for (const w of u.selected) if (w.service !== owner && (wanted(owner) || wanted(w.service))) sink.depends(owner, w.service);
    }
  }
  // Routing objects report on their own file for the Service's owner: that file belongs to the owner.
  for (const [env, list] of idx.backendsByEnv) {
    const services = serviceIndex(idx.servicesByEnv.get(env) ?? []);
    for (const { backend, file } of list) {
      const unit = services.get(backend.namespace, backend.service, file);
      const owner = unit?.selected[0]?.service;
      if (wanted(owner)) sink.file(owner, file);
      // A route to a Service the workspace does not define reports for the owner of a name a typo away (dangling-ingress).
      if (!unit) for (const u of idx.servicesByEnv.get(env) ?? []) if (u.svc.namespace === backend.namespace && wanted(u.selected[0]?.service) && near(backend.service, [u.svc.name]).length) sink.file(u.selected[0].service, file);
    }
  }
  // A NetworkPolicy reports for its first pod's service, judged against every pod it selects.
  for (const [env, list] of idx.policiesByEnv) {
    for (const { policy, file } of list) {
      if (Object.keys(policy.podSelector).length === 0) continue;
      const pods = policyPods(model, env, policy);
      // A policy that selects nothing reports for the pods whose label values are a typo away (dangling-networkpolicy).
      if (pods.length === 0) for (const w of idx.workloadsByEnv.get(env) ?? []) if (wanted(w.service) && w.workload.namespace === policy.namespace && Object.entries(policy.podSelector).some(([k, v]) => w.workload.labels[k] !== undefined && near(v, [w.workload.labels[k]]).length)) sink.file(w.service, file);
      const owner = pods[0]?.service;
      for (const w of pods) {
        if (!wanted(w.service) && !wanted(owner)) continue;
        sink.file(w.service, file);
        if (owner && w.service !== owner) sink.depends(owner, w.service);
      }
    }
  }
}

function placeWorkload(env: string, unit: WorkloadUnit, at: PlaceContext): void {
  const main = view(at, unit.service, env);
  const id = identityOf(unit);
  // The same workload from another file, where this file has none of the service's yet: a variant.
  const other = main.workloads.some((w) => w.file !== unit.file && identityOf(w) === id) && !main.workloads.some((w) => w.file === unit.file);
  if (other) {
    unit.variantIn.set(env, unit.file);
    ensureUnits(at.views.variant(unit.service, env, unit.file), VIEW, () => ({ workloads: [], services: [] })).workloads.push(unit);
  } else main.workloads.push(unit);
  push(indexOf(at).workloadsByEnv, env, unit);
}

/** A workload's identity within its service: its namespace and name (a render's `staging-api` is `api`). */
function identityOf(w: WorkloadUnit): string {
  return `${w.workload.namespace}/${w.workload.baseName ?? w.workload.name}`;
}

/** Of several units, the one nearest `from`: the same file, else the most folders in common, else the first. */
export function nearest<T extends { file: string }>(units: T[], from: string): T | undefined {
  let best: T | undefined;
  let score = -1;
  for (const u of units) {
    const s = u.file === from ? Infinity : folderDepth(commonFolder(dirOf(u.file), dirOf(from)));
    if (s > score) [best, score] = [u, s];
  }
  return best;
}

/** Paths folder by folder, and a file's name before its extension (`k8s/x` before `k8s-grpc/x`, `a.yaml` before `a-psa.yaml`). */
function comparePaths(a: string, b: string): number {
  const key = (p: string): string[] => p.split('/').map((s) => s.replace(/\.[^.]*$/, ''));
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

function folderDepth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

function placeService(env: string, svc: K8sService, file: string, at: PlaceContext, named?: string): void {
  const idx = indexOf(at);
  const selected = svc.selector ? selectFrom(idx.podIndex(), env, svc.namespace, svc.selector) : [];
  const unit: ServiceUnit = { svc, file, selected };
  const owner = selected[0]?.service ?? named;
  // A Service goes with the pods of its own file or tree (a variant's own Service), else with the owner's.
  const pod = nearest(selected.filter((w) => w.service === owner), file);
  const variant = pod?.variantIn.get(env);
  if (owner && variant !== undefined) ensureUnits(at.views.variant(owner, env, variant), VIEW, () => ({ workloads: [], services: [] })).services.push(unit);
  else if (owner) view(at, owner, env).services.push(unit);
  push(idx.servicesByEnv, env, unit);
}

/** The main container's variables from ConfigMaps (`envFrom`, then `configMapKeyRef`), per environment. */
function resolveConfigEnv({ workloadsByEnv, configMaps }: K8sIndex): void {
  for (const [env, units] of workloadsByEnv) {
    for (const w of units) {
      const c = w.main;
      if (!c || (c.envFrom.length === 0 && c.envRefs.length === 0)) continue;
      const vars: EnvVar[] = [];
      for (const name of c.envFrom) vars.push(...(configMaps.get(`${env}|${w.workload.namespace}/${name}`)?.data ?? []));
      for (const r of c.envRefs) {
        const entry = configMaps.get(`${env}|${w.workload.namespace}/${r.configMap}`)?.data.find((d) => d.name === r.key);
        if (entry) vars.push({ ...entry, name: r.name });
      }
      w.configEnv.set(env, vars);
    }
  }
}

/** Pods by environment, namespace and one label, so a selector looks at candidates only, not every pod. */
export function indexPods(workloadsByEnv: Map<string, WorkloadUnit[]>): Map<string, WorkloadUnit[]> {
  const byLabel = new Map<string, WorkloadUnit[]>();
  for (const [env, units] of workloadsByEnv) for (const w of units) for (const [k, val] of Object.entries(w.workload.labels)) push(byLabel, `${env}|${w.workload.namespace}|${k}=${val}`, w);
  return byLabel;
}

/** The pods a label selector selects, in owner order (none for an empty one: a Service selects nothing with it). */
export function selectFrom(index: Map<string, WorkloadUnit[]>, env: string, ns: string, selector: Record<string, string>): WorkloadUnit[] {
  const first = Object.entries(selector)[0];
  if (!first) return [];
  const [k, val] = first;
  return orderPods((index.get(`${env}|${ns}|${k}=${val}`) ?? []).filter((w) => matches(selector, w.workload.labels)));
}

/** Selected pods in a stable order (by service, file, name), so the first one (the owner of findings) never depends on file order. */
export function orderPods(pods: WorkloadUnit[]): WorkloadUnit[] {
  return [...pods].sort((a, b) => a.service.localeCompare(b.service) || a.file.localeCompare(b.file) || a.workload.name.localeCompare(b.workload.name));
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The pods a NetworkPolicy's podSelector selects, in the stable owner order. */
export function policyPods(model: Pick<Model, 'indexes'>, env: string, policy: K8sNetworkPolicy): WorkloadUnit[] {
  const idx = k8sIndex(model);
  if (Object.keys(policy.podSelector).length === 0) return orderPods((idx.workloadsByEnv.get(env) ?? []).filter((w) => w.workload.namespace === policy.namespace));
  return selectFrom(idx.podIndex(), env, policy.namespace, policy.podSelector);
}

/**
 * Services by namespace and name, as a route in `from` reaches them: where several files define the
 * Service (variants), the one of the route's own file or tree, else the first in file order.
 */
export function serviceIndex(units: ServiceUnit[]): { get(namespace: string, name: string, from: string): ServiceUnit | undefined } {
  const byName = new Map<string, ServiceUnit[]>();
  for (const u of units) push(byName, `${u.svc.namespace}/${u.svc.name}`, u);
  return { get: (namespace, name, from) => nearest(byName.get(`${namespace}/${name}`) ?? [], from) };
}
