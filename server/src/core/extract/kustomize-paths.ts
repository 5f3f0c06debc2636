// Field paths into Kustomize objects at the facts level: JSON 6902 operations and replacement targets and sources.
import type { Node } from 'yaml';
import type { Loc, ProbeFact, ProbeKind, Problem } from '../types';
import { str, stringMap } from '../yaml';
import type { EnvEntry, KCont, KObj, KWork, PortItem, Src, SvcPortItem } from './kustomize-objects';
import { curName, envVarOf, podLabelsPath, podSpecPath, portFromText, PROBE_KINDS, readFragment, wordsOf } from './kustomize-objects';
import { patchMap } from './kustomize-merge';
import type { Word } from './command';

/** A path step: a key or index, or a `[key=value]` list selector (replacements). */
export type Tok = string | { key: string; value: string };

type At = { index: number; append: boolean };
type HandlerType = 'httpGet' | 'tcpSocket' | 'grpc';

/** What a path reaches in the facts; `ignored` touches nothing Port Parity reads, `unfollowed` touches ports in a way it cannot follow. */
export type Slot =
  | { t: 'containers'; work: KWork; init: boolean }
  | ({ t: 'container'; work: KWork; init: boolean } & At)
  | { t: 'cfield'; c: KCont; field: 'name' | 'image' | 'restartPolicy' }
  | { t: 'ports'; c: KCont }
  | ({ t: 'port'; c: KCont } & At)
  | { t: 'portField'; item: PortItem; field: 'containerPort' | 'name' | 'protocol' }
  | { t: 'env'; c: KCont }
  | ({ t: 'envItem'; c: KCont } & At)
  | { t: 'envValue'; c: KCont; entry: EnvEntry }
  | { t: 'envFrom'; c: KCont }
  | ({ t: 'envFromItem'; c: KCont } & At)
  | { t: 'probe'; c: KCont; kind: ProbeKind }
  | { t: 'probeHandler'; c: KCont; kind: ProbeKind; type: HandlerType }
  | { t: 'probePort'; c: KCont; kind: ProbeKind; type: HandlerType }
  | { t: 'words'; c: KCont; which: 'cmd' | 'args' }
  | ({ t: 'word'; c: KCont; which: 'cmd' | 'args' } & At)
  | { t: 'labels'; map: Record<string, string> }
  | { t: 'label'; map: Record<string, string>; key: string }
  | { t: 'selector' }
  | { t: 'selectorKey'; key: string }
  | { t: 'svcPorts' }
  | ({ t: 'svcPort' } & At)
  | { t: 'svcPortField'; item: SvcPortItem; field: 'port' | 'targetPort' | 'name' | 'protocol' }
  | { t: 'data' }
  | { t: 'dataKey'; key: string }
  | { t: 'name' }
  | { t: 'namespace' }
  | { t: 'hostNetwork' }
  | { t: 'ignored' }
  | { t: 'unfollowed' }
  | { t: 'missing' };

const IGNORED: Slot = { t: 'ignored' };
const MISSING: Slot = { t: 'missing' };
const UNFOLLOWED: Slot = { t: 'unfollowed' };

/** `/spec/ports/0/port` → tokens (`~1` and `~0` unescaped). */
export function pointerTokens(pointer: string): Tok[] {
  if (pointer === '') return [];
  return pointer.replace(/^\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `spec.template.spec.containers.[name=api].ports.0.containerPort` → tokens. */
export function fieldPathTokens(fieldPath: string): Tok[] {
  const out: Tok[] = [];
  for (const m of fieldPath.matchAll(/\[([^\]=]*)=([^\]]*)\]|[^.[\]]+/g)) out.push(m[1] !== undefined ? { key: m[1], value: m[2] } : m[0]);
  return out;
}

function s(tok: Tok | undefined): string | undefined {
  return typeof tok === 'string' ? tok : undefined;
}

function pick<T>(list: T[], tok: Tok | undefined, matches: (x: T, key: string, value: string) => boolean): At | undefined {
  if (tok === undefined) return undefined;
  if (typeof tok !== 'string') {
    const i = list.findIndex((x) => matches(x, tok.key, tok.value));
    return i >= 0 ? { index: i, append: false } : undefined;
  }
  if (tok === '-') return { index: list.length, append: true };
  if (/^\d+$/.test(tok)) return { index: Number(tok), append: false };
  return undefined;
}

function startsWith(toks: Tok[], prefix: string[]): boolean {
  return prefix.every((p, i) => toks[i] === p);
}

function mapSlot(map: Record<string, string>, rest: Tok[]): Slot {
  if (rest.length === 0) return { t: 'labels', map };
  const key = s(rest[0]);
  return rest.length === 1 && key !== undefined ? { t: 'label', map, key } : IGNORED;
}

function containerSlot(work: KWork, init: boolean, rest: Tok[]): Slot {
  const list = init ? work.inits : work.containers;
  if (rest.length === 0) return { t: 'containers', work, init };
  const at = pick(list, rest[0], (c, k, v) => k === 'name' && c.c.name === v);
  if (!at) return MISSING;
  if (rest.length === 1) return { t: 'container', work, init, ...at };
  const c = list[at.index];
  if (!c) return MISSING;
  const field = s(rest[1]);
  const sub = rest.slice(2);
  if (field === 'ports') {
    if (sub.length === 0) return { t: 'ports', c };
    const pat = pick(c.ports, sub[0], (p, k, v) => (k === 'containerPort' ? String(p.p.containerPort.port) === v : k === 'name' ? p.p.name === v : k === 'protocol' ? p.p.protocol === v : false));
    if (!pat) return MISSING;
    if (sub.length === 1) return { t: 'port', c, ...pat };
    const item = c.ports[pat.index];
    if (!item) return MISSING;
    const f = s(sub[1]);
    if (sub.length === 2 && (f === 'containerPort' || f === 'name' || f === 'protocol')) return { t: 'portField', item, field: f };
    return IGNORED;
  }
  if (field === 'env') {
    if (sub.length === 0) return { t: 'env', c };
    const eat = pick(c.env, sub[0], (e, k, v) => k === 'name' && e.name === v);
    if (!eat) return MISSING;
    if (sub.length === 1) return { t: 'envItem', c, ...eat };
    const entry = c.env[eat.index];
    if (!entry) return MISSING;
    return sub.length === 2 && s(sub[1]) === 'value' ? { t: 'envValue', c, entry } : UNFOLLOWED;
  }
  if (field === 'envFrom') {
    if (sub.length === 0) return { t: 'envFrom', c };
    const fat = pick(c.envFrom, sub[0], () => false);
    if (!fat) return MISSING;
    return sub.length === 1 ? { t: 'envFromItem', c, ...fat } : UNFOLLOWED;
  }
  const probe = PROBE_KINDS.find((k) => field === `${k}Probe`);
  if (probe) {
    if (sub.length === 0) return { t: 'probe', c, kind: probe };
    const type = s(sub[0]);
    if (type !== 'httpGet' && type !== 'tcpSocket' && type !== 'grpc') return IGNORED;
    if (sub.length === 1) return { t: 'probeHandler', c, kind: probe, type };
    return sub.length === 2 && s(sub[1]) === 'port' ? { t: 'probePort', c, kind: probe, type } : IGNORED;
  }
  if (field === 'command' || field === 'args') {
    const which = field === 'command' ? 'cmd' : 'args';
    if (sub.length === 0) return { t: 'words', c, which };
    const wat = pick(c[which] ?? [], sub[0], () => false);
    if (!wat) return MISSING;
    return sub.length === 1 ? { t: 'word', c, which, ...wat } : IGNORED;
  }
  if ((field === 'name' || field === 'image' || field === 'restartPolicy') && sub.length === 0) return { t: 'cfield', c, field };
  return IGNORED;
}

/** What a path reaches in an object. */
export function locate(o: KObj, toks: Tok[]): Slot {
  if (s(toks[0]) === 'metadata') {
    if (toks.length === 2 && s(toks[1]) === 'name') return { t: 'name' };
    if (toks.length === 2 && s(toks[1]) === 'namespace') return { t: 'namespace' };
    if (s(toks[1]) === 'labels') return mapSlot(o.labels, toks.slice(2));
    return IGNORED;
  }
  if (o.work) {
    const lp = podLabelsPath(o.kind);
    if (o.kind !== 'Pod' && startsWith(toks, lp)) return mapSlot(o.work.w.labels, toks.slice(lp.length));
    const ps = podSpecPath(o.kind);
    if (startsWith(toks, ps)) {
      const rest = toks.slice(ps.length);
      const head = s(rest[0]);
      if (head === 'containers' || head === 'initContainers') return containerSlot(o.work, head === 'initContainers', rest.slice(1));
      if (head === 'hostNetwork' && rest.length === 1) return { t: 'hostNetwork' };
      return rest.length === 0 ? UNFOLLOWED : IGNORED;
    }
    // Replacing a whole template or spec at once is not followed.
    return toks.length < ps.length && startsWith(ps, toks.map((t) => String(t))) ? UNFOLLOWED : IGNORED;
  }
  if (o.svc) {
    if (s(toks[0]) !== 'spec') return IGNORED;
    if (toks.length === 1) return UNFOLLOWED;
    if (s(toks[1]) === 'selector') {
      if (toks.length === 2) return { t: 'selector' };
      const key = s(toks[2]);
      return toks.length === 3 && key !== undefined ? { t: 'selectorKey', key } : IGNORED;
    }
    if (s(toks[1]) !== 'ports') return IGNORED;
    if (toks.length === 2) return { t: 'svcPorts' };
    const ports = o.svc.ports;
    const at = pick(ports, toks[2], (p, k, v) => (k === 'port' ? String(p.p.port.port) === v : k === 'name' ? p.p.name === v : false));
    if (!at) return MISSING;
    if (toks.length === 3) return { t: 'svcPort', ...at };
    const item = ports[at.index];
    if (!item) return MISSING;
    const f = s(toks[3]);
    return toks.length === 4 && (f === 'port' || f === 'targetPort' || f === 'name' || f === 'protocol') ? { t: 'svcPortField', item, field: f } : IGNORED;
  }
  if (o.cm) {
    if (s(toks[0]) !== 'data') return IGNORED;
    if (toks.length === 1) return { t: 'data' };
    const key = s(toks[1]);
    return toks.length === 2 && key !== undefined ? { t: 'dataKey', key } : IGNORED;
  }
  // Routing objects and NetworkPolicies: their ports are read, but paths into them are not followed.
  if ((o.backends.length > 0 || o.policy) && s(toks[0]) === 'spec') return UNFOLLOWED;
  return IGNORED;
}

/** Every slot a path reaches: `*` steps expand over the list they stand in (replacements). */
export function locateAll(o: KObj, toks: Tok[]): Slot[] {
  const star = toks.indexOf('*');
  if (star < 0) return [locate(o, toks)];
  const out: Slot[] = [];
  for (let i = 0; i < 1000; i++) {
    const found = locateAll(o, [...toks.slice(0, star), String(i), ...toks.slice(star + 1)]);
    if (found.every((x) => x.t === 'missing')) break;
    out.push(...found);
  }
  return out;
}

// Fragments of a patch read as part of a synthetic object, so extractKubernetes reads them as it reads any manifest.
function fragContainers(src: Src, value: unknown, init: boolean, problems: Problem[]): KCont[] {
  const w = readFragment(src, 'Pod', { spec: { [init ? 'initContainers' : 'containers']: value } }, problems)?.work;
  return w ? (init ? w.inits : w.containers) : [];
}
function fragOne(src: Src, field: Record<string, unknown>, problems: Problem[]): KCont | undefined {
  return fragContainers(src, [{ name: '_', ...field }], false, problems)[0];
}
function fragSvcPorts(src: Src, value: unknown, problems: Problem[]): SvcPortItem[] {
  return readFragment(src, 'Service', { spec: { ports: value } }, problems)?.svc?.ports ?? [];
}

function listOp<T>(list: T[], at: At, op: string, make: () => T | undefined): 'ok' | 'missing' {
  if (op === 'remove') {
    if (at.append || at.index >= list.length) return 'missing';
    list.splice(at.index, 1);
    return 'ok';
  }
  const item = make();
  if (item === undefined) return 'ok';
  if (op === 'add') {
    if (at.index > list.length) return 'missing';
    list.splice(at.index, 0, item);
  } else {
    if (at.append || at.index >= list.length) return 'missing';
    list[at.index] = item;
  }
  return 'ok';
}

function setProbe(c: KCont, kind: ProbeKind, type: string | undefined, probes: ProbeFact[]): void {
  c.c = { ...c.c, probes: c.c.probes.filter((p) => p.kind !== kind || (type !== undefined && p.type !== type)) };
  c.c.probes.push(...probes.filter((p) => p.kind === kind && (type === undefined || p.type === type)));
}

/** Applies a JSON 6902 `add`, `replace` or `remove` whose value is `value` (a node of `src`). */
export function applyJsonOp(o: KObj, slot: Slot, op: string, value: Node | undefined, src: Src, problems: Problem[]): 'ok' | 'missing' | 'unfollowed' {
  const rm = op === 'remove';
  switch (slot.t) {
    case 'ignored':
      return 'ok';
    case 'missing':
    case 'unfollowed':
      return slot.t;
    case 'containers': {
      const list = rm ? [] : fragContainers(src, value, slot.init, problems);
      if (slot.init) slot.work.inits = list;
      else slot.work.containers = list;
      return 'ok';
    }
    case 'container':
      return listOp(slot.init ? slot.work.inits : slot.work.containers, slot, op, () => fragContainers(src, [value], slot.init, problems)[0]);
    case 'cfield': {
      const v = rm ? undefined : str(value);
      if (slot.field === 'name') slot.c.c = { ...slot.c.c, name: v ?? '' };
      else if (slot.field === 'image') slot.c.c = { ...slot.c.c, image: v };
      else slot.c.c = { ...slot.c.c, nativeSidecar: slot.c.c.init && v === 'Always' };
      return 'ok';
    }
    case 'ports':
      slot.c.ports = rm ? [] : (fragOne(src, { ports: value }, problems)?.ports ?? []);
      return 'ok';
    case 'port':
      return listOp(slot.c.ports, slot, op, () => fragOne(src, { ports: [value] }, problems)?.ports[0]);
    case 'portField': {
      const it = slot.item;
      if (slot.field === 'containerPort') {
        if (rm) return 'unfollowed';
        const np = fragOne(src, { ports: [{ containerPort: value }] }, problems)?.ports[0];
        if (np) it.p = { ...it.p, containerPort: np.p.containerPort };
      } else if (slot.field === 'name') {
        const np = rm ? undefined : fragOne(src, { ports: [{ containerPort: 1, name: value }] }, problems)?.ports[0];
        it.p = { ...it.p, name: np?.p.name, nameLoc: np?.p.nameLoc };
      } else {
        const np = rm ? undefined : fragOne(src, { ports: [{ containerPort: 1, protocol: value }] }, problems)?.ports[0];
        it.p = { ...it.p, protocol: np?.p.protocol ?? 'TCP' };
        it.proto = rm ? undefined : str(value);
      }
      return 'ok';
    }
    case 'env':
      slot.c.env = rm ? [] : (fragOne(src, { env: value }, problems)?.env ?? []);
      return 'ok';
    case 'envItem':
      return listOp(slot.c.env, slot, op, () => fragOne(src, { env: [value] }, problems)?.env[0]);
    case 'envValue': {
      const e = slot.entry;
      const i = slot.c.env.indexOf(e);
      if (rm) {
        slot.c.env[i] = { name: e.name, node: e.node };
        return 'ok';
      }
      const v = fragOne(src, { env: [{ name: e.name, value }] }, problems)?.env[0]?.v;
      if (v) slot.c.env[i] = { name: e.name, node: e.node, v: { ...v, nameLoc: e.v?.nameLoc ?? v.valueLoc } };
      return 'ok';
    }
    case 'envFrom':
      slot.c.envFrom = rm ? [] : (fragOne(src, { envFrom: value }, problems)?.envFrom ?? []);
      return 'ok';
    case 'envFromItem':
      return listOp(slot.c.envFrom, slot, op, () => fragOne(src, { envFrom: [value] }, problems)?.envFrom[0] ?? '');
    case 'probe':
      setProbe(slot.c, slot.kind, undefined, rm ? [] : (fragOne(src, { [`${slot.kind}Probe`]: value }, problems)?.c.probes ?? []));
      return 'ok';
    case 'probeHandler':
    case 'probePort': {
      const handler = slot.t === 'probeHandler' ? value : { port: value };
      const probes = rm ? [] : (fragOne(src, { [`${slot.kind}Probe`]: { [slot.type]: handler } }, problems)?.c.probes ?? []);
      setProbe(slot.c, slot.kind, slot.type, probes);
      return 'ok';
    }
    case 'words':
      slot.c[slot.which] = rm ? undefined : wordsOf(src, value);
      return 'ok';
    case 'word': {
      const list = [...(slot.c[slot.which] ?? [])];
      const r = listOp<Word>(list, slot, op, () => wordsOf(src, value, true)?.[0]);
      slot.c[slot.which] = list;
      return r;
    }
    case 'labels':
      if (rm) patchMap(slot.map, null);
      else {
        patchMap(slot.map, null);
        Object.assign(slot.map, stringMap(value));
      }
      return 'ok';
    case 'label':
      if (rm) delete slot.map[slot.key];
      else slot.map[slot.key] = str(value) ?? '';
      return 'ok';
    case 'selector':
      if (o.svc) o.svc.s = { ...o.svc.s, selector: rm ? undefined : stringMap(value) };
      return 'ok';
    case 'selectorKey': {
      if (!o.svc) return 'ok';
      const m = { ...(o.svc.s.selector ?? {}) };
      if (rm) delete m[slot.key];
      else m[slot.key] = str(value) ?? '';
      o.svc.s = { ...o.svc.s, selector: Object.keys(m).length ? m : undefined };
      return 'ok';
    }
    case 'svcPorts':
      if (o.svc) o.svc.ports = rm ? [] : fragSvcPorts(src, value, problems);
      return 'ok';
    case 'svcPort':
      return o.svc ? listOp(o.svc.ports, slot, op, () => fragSvcPorts(src, [value], problems)[0]) : 'missing';
    case 'svcPortField': {
      const it = slot.item;
      if (slot.field === 'port') {
        if (rm) return 'unfollowed';
        const np = fragSvcPorts(src, [{ port: value }], problems)[0];
        if (np) it.p = { ...it.p, port: np.p.port };
      } else if (slot.field === 'targetPort') {
        const np = rm ? undefined : fragSvcPorts(src, [{ port: 1, targetPort: value }], problems)[0];
        it.p = { ...it.p, targetPort: np?.p.targetPort, invalidTarget: np?.p.invalidTarget };
      } else if (slot.field === 'name') it.p = { ...it.p, name: rm ? undefined : str(value) };
      else {
        const np = rm ? undefined : fragSvcPorts(src, [{ port: 1, protocol: value }], problems)[0];
        it.p = { ...it.p, protocol: np?.p.protocol ?? 'TCP' };
        it.proto = rm ? undefined : str(value);
      }
      return 'ok';
    }
    case 'data':
      if (o.cm) o.cm = { ...o.cm, data: rm ? [] : (readFragment(src, 'ConfigMap', { data: value }, problems)?.cm?.data ?? []) };
      return 'ok';
    case 'dataKey': {
      if (!o.cm) return 'ok';
      const data = o.cm.data.filter((e) => e.name !== slot.key);
      const old = o.cm.data.find((e) => e.name === slot.key);
      const v = rm ? undefined : readFragment(src, 'ConfigMap', { data: { [slot.key]: value } }, problems)?.cm?.data[0];
      if (v) data.push({ ...v, nameLoc: old?.nameLoc ?? v.valueLoc });
      o.cm = { ...o.cm, data };
      return 'ok';
    }
    case 'name': {
      const v = str(value);
      if (!rm && v) o.names.push(v);
      return 'ok';
    }
    case 'namespace':
      o.ns = rm ? undefined : str(value);
      return 'ok';
    case 'hostNetwork':
      if (o.work) o.work.w = { ...o.work.w, hostNetwork: !rm && str(value) === 'true' };
      return 'ok';
  }
}

/** A value a replacement copies: its text, and where it is written. */
export interface Copied {
  text: string;
  loc: Loc;
  literal: boolean;
}

/** Reads a replacement's source value; undefined when the path is not one Port Parity follows. */
export function readSlot(o: KObj, slot: Slot): Copied | undefined {
  switch (slot.t) {
    case 'dataKey': {
      const e = o.cm?.data.find((x) => x.name === slot.key);
      return e ? { text: e.value, loc: e.valueLoc, literal: e.literal || /^\d+$/.test(e.value) } : undefined;
    }
    case 'envValue':
      return slot.entry.v ? { text: slot.entry.v.value, loc: slot.entry.v.valueLoc, literal: slot.entry.v.literal } : undefined;
    case 'portField':
      if (slot.field === 'containerPort') return { text: slot.item.p.containerPort.raw, loc: slot.item.p.containerPort.loc, literal: slot.item.p.containerPort.literal };
      if (slot.field === 'name' && slot.item.p.name && slot.item.p.nameLoc) return { text: slot.item.p.name, loc: slot.item.p.nameLoc, literal: false };
      return undefined;
    case 'svcPortField': {
      const v = slot.field === 'port' ? slot.item.p.port : slot.field === 'targetPort' ? slot.item.p.targetPort : undefined;
      return v ? { text: v.raw, loc: v.loc, literal: v.literal } : undefined;
    }
    case 'probePort': {
      const p = slot.c.c.probes.find((x) => x.kind === slot.kind && x.type === slot.type);
      return p ? { text: p.port.raw, loc: p.port.loc, literal: p.port.literal } : undefined;
    }
    case 'name':
      return { text: curName(o), loc: o.nameLoc, literal: false };
    case 'namespace':
      return { text: o.ns ?? 'default', loc: o.nameLoc, literal: false };
    default:
      return undefined;
  }
}

/** Slots whose value is a port: a replacement into them must be followed (or reported). */
export function isPortSlot(slot: Slot): boolean {
  return slot.t === 'portField' || slot.t === 'svcPortField' || slot.t === 'probePort' || slot.t === 'envValue' || slot.t === 'dataKey' || slot.t === 'word' || slot.t === 'unfollowed';
}

/** Writes a replacement's value into a slot; 'unfollowed' when the slot is not a scalar Port Parity follows. */
export function writeSlot(o: KObj, slot: Slot, v: Copied, problems: Problem[]): 'ok' | 'missing' | 'unfollowed' {
  const bad = (field: string): 'ok' => {
    problems.push({ message: `${field} "${v.text}" (set by a replacement) is not a port number (1-65535)`, loc: v.loc });
    return 'ok';
  };
  switch (slot.t) {
    case 'ignored':
      return 'ok';
    case 'missing':
      return 'missing';
    case 'portField': {
      const it = slot.item;
      if (slot.field === 'containerPort') {
        const pv = portFromText(v.text, v.loc, v.literal, false);
        if (!pv) return bad('containerPort');
        it.p = { ...it.p, containerPort: pv };
      } else if (slot.field === 'name') it.p = { ...it.p, name: v.text, nameLoc: v.loc };
      else it.p = { ...it.p, protocol: v.text === 'UDP' || v.text === 'SCTP' ? v.text : 'TCP' };
      return 'ok';
    }
    case 'svcPortField': {
      const it = slot.item;
      if (slot.field === 'port' || slot.field === 'targetPort') {
        const pv = portFromText(v.text, v.loc, v.literal, slot.field === 'targetPort');
        if (!pv) return bad(slot.field);
        it.p = slot.field === 'port' ? { ...it.p, port: pv } : { ...it.p, targetPort: pv, invalidTarget: false };
      } else if (slot.field === 'name') it.p = { ...it.p, name: v.text };
      return 'ok';
    }
    case 'probePort': {
      const i = slot.c.c.probes.findIndex((x) => x.kind === slot.kind && x.type === slot.type);
      if (i < 0) return 'missing';
      const pv = portFromText(v.text, v.loc, v.literal, slot.type !== 'grpc');
      if (!pv) return bad(`${slot.kind}Probe.${slot.type}.port`);
      const probes = [...slot.c.c.probes];
      probes[i] = { ...probes[i], port: pv };
      slot.c.c = { ...slot.c.c, probes };
      return 'ok';
    }
    case 'envValue': {
      const e = slot.entry;
      const i = slot.c.env.indexOf(e);
      slot.c.env[i] = { name: e.name, node: e.node, v: envVarOf(e.name, v.text, e.v?.nameLoc ?? v.loc, v.loc, v.literal) };
      return 'ok';
    }
    case 'dataKey': {
      if (!o.cm) return 'ok';
      const old = o.cm.data.find((e) => e.name === slot.key);
      o.cm = { ...o.cm, data: [...o.cm.data.filter((e) => e !== old), envVarOf(slot.key, v.text, old?.nameLoc ?? v.loc, v.loc, v.literal)] };
      return 'ok';
    }
    case 'label':
      slot.map[slot.key] = v.text;
      return 'ok';
    case 'selectorKey':
      if (o.svc) o.svc.s = { ...o.svc.s, selector: { ...(o.svc.s.selector ?? {}), [slot.key]: v.text } };
      return 'ok';
    case 'name':
      o.names.push(v.text);
      return 'ok';
    case 'namespace':
      o.ns = v.text;
      return 'ok';
    case 'cfield':
      if (slot.field === 'image') slot.c.c = { ...slot.c.c, image: v.text };
      else if (slot.field === 'name') slot.c.c = { ...slot.c.c, name: v.text };
      return 'ok';
    default:
      return 'unfollowed';
  }
}
