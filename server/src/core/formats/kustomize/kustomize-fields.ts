// Kustomize's built-in transformers on YAML trees, with the fields they touch kept as data (Kustomize's own field specs): labels, namespaces, name prefixes and suffixes, name references, legacy vars.
import { isMap, isScalar, Pair, Scalar, YAMLMap } from 'yaml';
import type { Node } from 'yaml';
import { get, pairs, str } from '../../yaml';
import type { KRes, Src } from './kustomize-objects';
import { curName, kindOf, nsOf, syncName } from './kustomize-objects';
import { fieldPathTokens, ownedAt, setAt, setKey, slotsOf, valueAt, writableSlots } from './kustomize-tree';
import type { Origins } from './kustomize-tree';

/** Where a pod spec sits in the kinds that hold one (Pod; Deployment and the like; CronJob). */
const POD_SPECS = ['spec', 'spec.template.spec', 'spec.jobTemplate.spec.template.spec'];

/** `tails` under every container of every pod spec. */
function inContainers(tails: string[]): string[] {
  return POD_SPECS.flatMap((p) => ['containers', 'initContainers'].flatMap((c) => tails.map((t) => `${p}.${c}.*.${t}`)));
}

/** Kinds without a namespace: the namespace transformer leaves them alone. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'RuntimeClass', 'CSIDriver', 'GatewayClass',
]);

/** Kinds namePrefix and nameSuffix leave alone. */
const UNPREFIXED = new Set(['Namespace', 'CustomResourceDefinition']);

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'];

/**
 * Where commonLabels and labels go: metadata always, pod templates and selectors when asked
 * (`create`: the field is made where it is missing, as Kustomize makes a Service's selector).
 */
const LABEL_FIELDS: { field: string; kinds?: string[]; role: 'metadata' | 'template' | 'selector'; create: boolean }[] = [
  { field: 'metadata.labels', role: 'metadata', create: true },
  { field: 'spec.template.metadata.labels', kinds: WORKLOADS, role: 'template', create: true },
  { field: 'spec.jobTemplate.spec.template.metadata.labels', kinds: ['CronJob'], role: 'template', create: true },
  { field: 'spec.selector', kinds: ['Service', 'ReplicationController'], role: 'selector', create: true },
  { field: 'spec.selector.matchLabels', kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], role: 'selector', create: true },
  { field: 'spec.podSelector.matchLabels', kinds: ['NetworkPolicy'], role: 'selector', create: false },
];

/** References by name Kustomize follows when it renames an object of `kind` (in objects of `from` only, when given). */
const NAME_REFS: { kind: string; from?: string[]; fields: string[] }[] = [
  { kind: 'ConfigMap', fields: [...inContainers(['envFrom.*.configMapRef.name', 'env.*.valueFrom.configMapKeyRef.name']), ...POD_SPECS.map((p) => `${p}.volumes.*.configMap.name`)] },
  // Kustomize's name references cover Ingress backends, not Gateway API routes.
  { kind: 'Service', from: ['Ingress'], fields: ['spec.defaultBackend.service.name', 'spec.backend.serviceName', 'spec.rules.*.http.paths.*.backend.service.name', 'spec.rules.*.http.paths.*.backend.serviceName'] },
];

/** Fields whose `$(NAME)` a legacy var fills (Kustomize's varReference). */
const VAR_FIELDS = inContainers(['env.*.value', 'command.*', 'args.*', 'command', 'args']);

/** A map made where a field is missing, placed with the object. */
function newMap(origins: Origins<Src>, o: KRes): () => YAMLMap {
  return () => origins.fresh(new YAMLMap(), origins.of(o.node) ?? o.src);
}

/**
 * Puts the value `f` gives for each place a field path reaches in `o` (undefined: it stays), copying
 * on write only in an object where one changes.
 */
function rewrite(origins: Origins<Src>, o: KRes, field: string, f: (v: Node | undefined) => Node | undefined): void {
  const toks = fieldPathTokens(field);
  const values = slotsOf(o.node, toks).map((slot) => f(valueAt(slot)));
  if (!values.some((v) => v !== undefined)) return;
  writableSlots(o, toks, origins).forEach((slot, i) => {
    if (values[i] !== undefined) setAt(slot, values[i]);
  });
}

/** commonLabels and labels: `labels` is the kustomization's map, its nodes placed in it. */
export function addLabels(origins: Origins<Src>, objs: KRes[], labels: Node | undefined, selectors: boolean, templates: boolean): void {
  const given = pairs(labels).filter((p) => str(p.value) !== undefined);
  if (given.length === 0) return;
  for (const o of objs) {
    const kind = kindOf(o);
    for (const spec of LABEL_FIELDS) {
      if ((spec.role === 'selector' && !selectors) || (spec.role === 'template' && !templates) || (spec.kinds && !spec.kinds.includes(kind))) continue;
      const toks = fieldPathTokens(spec.field);
      for (const slot of writableSlots(o, toks, origins, spec.create ? newMap(origins, o) : undefined)) {
        let m = ownedAt(slot, origins);
        if (!isMap(m)) {
          if (!spec.create) continue;
          setAt(slot, (m = newMap(origins, o)()));
        }
        for (const p of given) setKey(m as YAMLMap, String(p.key.value), p.value, p.key);
      }
    }
  }
}

/** The namespace transformer: `ns` is the kustomization's value node. */
export function setNamespace(origins: Origins<Src>, objs: KRes[], ns: Scalar, keyNode: Scalar): void {
  for (const o of objs) {
    if (CLUSTER_SCOPED.has(kindOf(o))) continue;
    const [slot] = writableSlots(o, ['metadata', 'namespace'], origins, newMap(origins, o));
    if (slot) setAt(slot, ns, keyNode);
  }
}

/** namePrefix and nameSuffix: the new name is placed where the name it extends was written. */
export function addAffixes(origins: Origins<Src>, objs: KRes[], prefix: string, suffix: string): void {
  for (const o of objs) {
    if (UNPREFIXED.has(kindOf(o))) continue;
    const meta = get(o.node, 'metadata');
    const name = get(meta, 'name');
    if (!isMap(meta) || !isScalar(name)) continue;
    const [slot] = writableSlots(o, ['metadata', 'name'], origins);
    setAt(slot, origins.derive(`${prefix}${curName(o)}${suffix}`, name));
    syncName(o);
  }
}

/** Kustomize rewrites references to renamed ConfigMaps and Services in the final output. */
export function fixReferences(origins: Origins<Src>, objs: KRes[]): void {
  for (const ref of NAME_REFS) {
    const pool = objs.filter((o) => kindOf(o) === ref.kind);
    if (!pool.some((o) => o.names.length > 1)) continue;
    for (const o of objs) {
      if (ref.from && !ref.from.includes(kindOf(o))) continue;
      const ns = nsOf(o);
      for (const field of ref.fields) {
        rewrite(origins, o, field, (v) => {
          const name = str(v);
          if (name === undefined || !isScalar(v) || pool.some((x) => curName(x) === name)) return undefined;
          const hits = pool.filter((x) => x.names.includes(name));
          const hit = hits.find((x) => nsOf(x) === ns) ?? hits[0];
          return hit ? origins.derive(curName(hit), v) : undefined;
        });
      }
    }
  }
}

/**
 * Kubernetes' expansion syntax for legacy vars: `$$` is `$`, `$(NAME)` of a var its value, any other
 * `$(X)` stays as it is. Each value a var changes is placed where the value was written.
 */
export function substituteVars(origins: Origins<Src>, objs: KRes[], values: Map<string, string>): void {
  const expand = (s: string): string => s.replace(/\$\$|\$\(([^)]*)\)/g, (m, name?: string) => (name === undefined ? '$' : (values.get(name) ?? m)));
  for (const o of objs) {
    for (const field of VAR_FIELDS) {
      rewrite(origins, o, field, (v) => {
        if (!isScalar(v) || typeof v.value !== 'string' || !v.value.includes('$')) return undefined;
        const text = expand(v.value);
        return text !== v.value ? origins.derive(text, v) : undefined;
      });
    }
  }
}

/** A ConfigMap a generator makes: its name, namespace and data as nodes placed in the kustomization (or env file). */
export function generatedConfigMap(origins: Origins<Src>, at: Src, where: Node, name: Scalar, ns: Node | undefined, data: [Scalar, Scalar][]): YAMLMap {
  const scalar = (value: string): Scalar => {
    const s = new Scalar(value);
    s.range = where.range;
    origins.place(s, at);
    return s;
  };
  const map = (entries: [string | Scalar, unknown][]): YAMLMap => {
    const m = new YAMLMap();
    m.range = where.range;
    for (const [k, v] of entries) m.items.push(new Pair(typeof k === 'string' ? scalar(k) : k, v));
    origins.place(m, at);
    return m;
  };
  const meta: [string, unknown][] = [['name', name]];
  if (ns) meta.push(['namespace', ns]);
  return map([['apiVersion', scalar('v1')], ['kind', scalar('ConfigMap')], ['metadata', map(meta)], ['data', map(data)]]);
}
