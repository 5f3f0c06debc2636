// Strategic merge at the facts level, as `kubectl kustomize` merges: lists by their merge keys, maps key by key, `$patch` directives.
import { isMap } from 'yaml';
import type { Node } from 'yaml';
import { get, items, pairs, path, str } from '../yaml';
import type { EnvEntry, KCont, KObj, PortItem, SvcPortItem } from './kustomize-objects';
import { nullable, podLabelsPath, podSpecPath, PROBE_KINDS } from './kustomize-objects';

function directive(node: unknown): string | undefined {
  return str(get(node, '$patch'));
}

/** A list item that is only a directive (`- $patch: replace`). */
function directiveOnly(node: unknown): boolean {
  return isMap(node) && pairs(node).length === 1 && directive(node) !== undefined;
}

/** A map patch onto a string map, in place: null values delete keys; a null map clears it. */
export function patchMap(target: Record<string, string>, node: Node | null | undefined): void {
  if (node === undefined) return;
  if (node === null || directive(node) === 'replace') for (const k of Object.keys(target)) delete target[k];
  if (node === null) return;
  for (const p of pairs(node)) {
    const k = String(p.key.value);
    if (k.startsWith('$')) continue;
    const v = str(p.value);
    if (v === undefined) delete target[k];
    else target[k] = v;
  }
}

interface Entry<T> {
  node: Node;
  key?: string | number;
  proto?: string;
  item?: T;
  del: boolean;
  /** `$patch: replace` on one item: `kubectl kustomize` keeps the base's item as it is (a new item is added). */
  keep: boolean;
}

/**
 * Merges a keyed list. Without a `protocol` written anywhere, Kustomize puts the patch's items
 * first in the patch's order, then the base's others. With one written (ports keyed by number and
 * protocol), new items come first, the base's keep their order, and a patch item whose number the
 * base has under another protocol is dropped (what `kubectl kustomize` does; checked by the oracle test).
 */
function mergeKeyed<T>(base: T[], entries: Entry<T>[], keyOf: (b: T) => string | number | undefined, protoOf: (b: T) => string | undefined, protoMode: boolean, merge: (b: T, p: T, node: Node) => T): T[] {
  if (!protoMode) {
    const out: T[] = [];
    const used = new Set<T>();
    for (const e of entries) {
      const b = e.key === undefined ? undefined : base.find((x) => !used.has(x) && keyOf(x) === e.key);
      if (b) used.add(b);
      if (e.del) continue;
      if (b) out.push(e.item && !e.keep ? merge(b, e.item, e.node) : b);
      else if (e.item) out.push(e.item);
    }
    for (const b of base) if (!used.has(b)) out.push(b);
    return out;
  }
  const out: T[] = entries.filter((e) => !e.del && e.item && !base.some((b) => keyOf(b) === e.key)).map((e) => e.item as T);
  for (const b of base) {
    const e = entries.find((x) => x.key === keyOf(b) && x.proto === protoOf(b));
    if (e?.del) continue;
    out.push(e?.item && !e.keep ? merge(b, e.item, e.node) : b);
  }
  return out;
}

/** The list's own items, or the patch's alone when it says `$patch: replace`. */
function listEntries<T>(listNode: Node, patch: T[], nodeOf: (p: T) => Node | undefined, keyOf: (n: Node) => string | number | undefined): { replace?: T[]; entries: Entry<T>[] } {
  const nodes = items(listNode);
  if (nodes.some((n) => directiveOnly(n) && directive(n) === 'replace')) return { replace: patch.filter((p) => !directiveOnly(nodeOf(p))), entries: [] };
  const entries = nodes
    .filter((n) => !directiveOnly(n))
    .map((n): Entry<T> => ({ node: n, key: keyOf(n), proto: str(get(n, 'protocol')), item: patch.find((p) => nodeOf(p) === n), del: directive(n) === 'delete', keep: directive(n) === 'replace' }));
  return { entries };
}

function numKey(n: Node, key: string): number | undefined {
  const v = str(get(n, key));
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

function mergePorts(base: PortItem[], patch: PortItem[], listNode: Node | null): PortItem[] {
  if (listNode === null) return [];
  const { replace, entries } = listEntries(listNode, patch, (p) => p.node, (n) => numKey(n, 'containerPort'));
  if (replace) return replace;
  const protoMode = base.some((b) => b.proto !== undefined) || entries.some((e) => e.proto !== undefined);
  return mergeKeyed(base, entries, (b) => b.p.containerPort.port, (b) => b.proto, protoMode, (b, p, node) => {
    const out: PortItem = { p: { ...b.p }, proto: b.proto, node: b.node };
    if (p.p.name !== undefined) {
      out.p.name = p.p.name;
      out.p.nameLoc = p.p.nameLoc;
    }
    if (get(node, 'protocol') !== undefined) {
      out.p.protocol = p.p.protocol;
      out.proto = p.proto;
    }
    return out;
  });
}

function mergeServicePorts(base: SvcPortItem[], patch: SvcPortItem[], listNode: Node | null): SvcPortItem[] {
  if (listNode === null) return [];
  const { replace, entries } = listEntries(listNode, patch, (p) => p.node, (n) => numKey(n, 'port'));
  if (replace) return replace;
  const protoMode = base.some((b) => b.proto !== undefined) || entries.some((e) => e.proto !== undefined);
  return mergeKeyed(base, entries, (b) => b.p.port.port, (b) => b.proto, protoMode, (b, p, node) => {
    const out: SvcPortItem = { p: { ...b.p }, proto: b.proto, node: b.node };
    if (get(node, 'targetPort') !== undefined) {
      out.p.targetPort = p.p.targetPort;
      out.p.invalidTarget = p.p.invalidTarget;
    }
    if (get(node, 'name') !== undefined) out.p.name = p.p.name;
    if (get(node, 'protocol') !== undefined) {
      out.p.protocol = p.p.protocol;
      out.proto = p.proto;
    }
    return out;
  });
}

function mergeEnv(base: EnvEntry[], patch: EnvEntry[], listNode: Node | null): EnvEntry[] {
  if (listNode === null) return [];
  const { replace, entries } = listEntries(listNode, patch, (p) => p.node, (n) => str(get(n, 'name')));
  if (replace) return replace;
  // The patch's entry wins whole: its value (and the line that sets it) is what runs.
  return mergeKeyed(base, entries, (b) => b.name, () => undefined, false, (_b, p) => p);
}

function mergeContainer(b: KCont, p: KCont, pn: Node): KCont {
  const out: KCont = { ...b, c: { ...b.c, image: p.c.image ?? b.c.image, probes: [...b.c.probes] } };
  if (nullable(pn, 'restartPolicy') !== undefined) out.c.nativeSidecar = p.c.nativeSidecar;
  const ports = nullable(pn, 'ports');
  if (ports !== undefined) out.ports = mergePorts(b.ports, p.ports, ports);
  const env = nullable(pn, 'env');
  if (env !== undefined) out.env = mergeEnv(b.env, p.env, env);
  // envFrom has no merge key: a patch's list replaces the base's.
  const envFrom = nullable(pn, 'envFrom');
  if (envFrom !== undefined) out.envFrom = envFrom === null ? [] : p.envFrom;
  for (const kind of PROBE_KINDS) {
    const probe = nullable(pn, `${kind}Probe`);
    if (probe === undefined) continue;
    const mine = p.c.probes.filter((x) => x.kind === kind);
    if (probe === null || directive(probe) === 'delete' || directive(probe) === 'replace') {
      out.c.probes = out.c.probes.filter((x) => x.kind !== kind);
      if (probe !== null && directive(probe) === 'replace') out.c.probes.push(...mine);
      continue;
    }
    // Probe handlers merge as maps: the patch's port wins for the handler it names, the others stay.
    for (const x of mine) {
      const i = out.c.probes.findIndex((y) => y.kind === kind && y.type === x.type);
      if (i >= 0) out.c.probes[i] = x;
      else out.c.probes.push(x);
    }
  }
  if (p.cmd !== undefined) out.cmd = p.cmd;
  if (p.args !== undefined) out.args = p.args;
  return out;
}

function mergeContainers(base: KCont[], patch: KCont[], listNode: Node | null | undefined): KCont[] {
  if (listNode === undefined) return base;
  if (listNode === null) return [];
  const { replace, entries } = listEntries(listNode, patch, (p) => p.node, (n) => str(get(n, 'name')));
  if (replace) return replace;
  return mergeKeyed(base, entries, (b) => b.c.name, () => undefined, false, mergeContainer);
}

/** Applies one strategic merge patch (its facts `p`, its node `pn`) to `t`; 'delete' when the patch deletes the object. */
export function mergeObject(t: KObj, p: KObj, pn: Node): 'delete' | undefined {
  const d = directive(pn);
  if (d === 'delete') return 'delete';
  if (d === 'replace') {
    t.work = p.work;
    t.svc = p.svc;
    t.cm = p.cm;
    t.backends = p.backends;
    t.policy = p.policy;
    return undefined;
  }
  const meta = get(pn, 'metadata');
  patchMap(t.labels, nullable(meta, 'labels'));
  patchMap(t.annotations, nullable(meta, 'annotations'));
  if (t.work && p.work) {
    const spec = path(pn, ...podSpecPath(t.kind));
    if (t.kind !== 'Pod') patchMap(t.work.w.labels, nullable(path(pn, ...podLabelsPath(t.kind).slice(0, -1)), 'labels'));
    const hn = nullable(spec, 'hostNetwork');
    if (hn !== undefined) t.work.w = { ...t.work.w, hostNetwork: hn !== null && str(hn) === 'true' };
    t.work.containers = mergeContainers(t.work.containers, p.work.containers, nullable(spec, 'containers'));
    t.work.inits = mergeContainers(t.work.inits, p.work.inits, nullable(spec, 'initContainers'));
  }
  const spec = get(pn, 'spec');
  if (t.svc && p.svc) {
    const sel = nullable(spec, 'selector');
    if (sel !== undefined) {
      const m = { ...(t.svc.s.selector ?? {}) };
      patchMap(m, sel);
      t.svc.s = { ...t.svc.s, selector: Object.keys(m).length ? m : undefined };
    }
    const ports = nullable(spec, 'ports');
    if (ports !== undefined) t.svc.ports = mergeServicePorts(t.svc.ports, p.svc.ports, ports);
  }
  if (t.cm && p.cm) {
    const data = nullable(pn, 'data');
    if (data === null) t.cm = { ...t.cm, data: [] };
    else if (data !== undefined) {
      const out = [...t.cm.data];
      for (const pr of pairs(data)) {
        const k = String(pr.key.value);
        const i = out.findIndex((e) => e.name === k);
        const v = p.cm.data.find((e) => e.name === k);
        if (i >= 0) out.splice(i, 1, ...(v ? [v] : []));
        else if (v) out.push(v);
      }
      t.cm = { ...t.cm, data: out };
    }
  }
  // Ingress and route rules have no merge key: a patch that gives them replaces them.
  if (get(spec, 'rules') !== undefined || get(spec, 'defaultBackend') !== undefined || get(spec, 'backend') !== undefined) t.backends = p.backends;
  if (t.policy && p.policy) {
    const sel = nullable(get(spec, 'podSelector'), 'matchLabels');
    const podSelector = { ...t.policy.podSelector };
    patchMap(podSelector, sel);
    t.policy = { ...t.policy, podSelector, ports: get(spec, 'ingress') !== undefined ? p.policy.ports : t.policy.ports };
  }
  return undefined;
}
