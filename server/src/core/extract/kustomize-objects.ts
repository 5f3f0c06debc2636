// Kustomize resources at the facts level: each object's facts as extractKubernetes reads them, with the Loc of the file (or inline patch) that set each value.
import { isMap, isNode, isScalar, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { LineIndex } from '../text';
import type { CommandInfo, ContainerPort, EnvVar, K8sBackend, K8sConfigMap, K8sContainer, K8sNetworkPolicy, K8sService, K8sServicePort, K8sWorkload, Loc, Problem, SourceFile } from '../types';
import { get, items, pairs, parseYaml, path, scalarText, str, stringMap } from '../yaml';
import type { ParsedYaml, YamlDoc } from '../yaml';
import { kubeletEnv, kubeletWords, parseCommand, shellWords } from './command';
import type { Word } from './command';
import { extractKubernetes } from './kubernetes';

/** Offsets of every source are shifted by `id * STRIDE`, so one index can place words of several files in one command. */
const STRIDE = 2 ** 32;

/**
 * A text Port Parity read YAML from: a workspace file, or an inline patch (a scalar of a
 * kustomization) whose offsets map back onto the kustomization's text.
 */
export class Src {
  private index?: LineIndex;
  constructor(
    readonly file: string,
    readonly text: string,
    readonly id: number,
    private readonly owner: Sources,
    private readonly host?: { ix: LineIndex; at?: (i: number) => number; whole: Loc },
  ) {}
  /** The line index of the text, made when first needed (a kept render never needs its kustomizations'). */
  get ix(): LineIndex {
    return (this.index ??= new LineIndex(this.file, this.text));
  }
  /** Every offset maps to one character of the workspace file (false for folded or escaped inline text). */
  get exact(): boolean {
    return !this.host || this.host.at !== undefined;
  }
  get inline(): boolean {
    return this.host !== undefined;
  }
  loc(start: number, end: number): Loc {
    if (!this.host) return this.ix.loc(start, end);
    const { ix, at, whole } = this.host;
    if (!at) return whole;
    return ix.loc(at(start), end > start ? at(end - 1) + 1 : at(start));
  }
  nodeLoc(node: Node): Loc {
    const r = node.range ?? [0, 0, 0];
    return this.loc(r[0], r[1]);
  }
  /** What the last parse left unread (a bound or an alias): the render that reads the source reports it. */
  notes: ParsedYaml['notes'] = [];
  docs(): YamlDoc[] {
    const parsed = this.owner.parse(this);
    this.notes = parsed.notes;
    return parsed.docs;
  }
}

/** The sources of one run, by id; their index places global offsets. */
export class Sources {
  private readonly list: Src[] = [];
  private readonly byPath = new Map<string, Src>();
  private readonly inlines = new Map<string, Src>();
  readonly index: LineIndex;
  /** Whether more than one render reads a file: only those parses are kept, until `release`. */
  shared?: (path: string) => boolean;
  /** Called once per file the first time it is parsed in this run (the engine reads its own facts then). */
  onFirstParse?: (src: Src, parsed: ParsedYaml) => void;
  /**
   * The parses of this run that several of its renders read (a base under two overlays), by text, each
   * until the last of them: holding every parse tree to the end of a run costs more in garbage
   * collection than it saves. Nothing is kept from one run to the next: the language server keeps
   * renders instead (render.ts), and an edit renders again only what read the edited file.
   */
  private readonly store = new Map<string, ParsedYaml>();
  /** Files parsed in this run (their own facts were read then). */
  private readonly parsed = new Set<string>();
  constructor(private readonly files: Map<string, SourceFile>) {
    const list = this.list;
    this.index = new (class extends LineIndex {
      override loc(start: number, end: number): Loc {
        const k = Math.floor(start / STRIDE);
        const src = list[k - 1];
        return src ? src.loc(start - k * STRIDE, end - k * STRIDE) : super.loc(0, 0);
      }
    })('', '');
  }
  has(path: string): boolean {
    return this.files.has(path);
  }
  /** The text of a workspace file, undefined when there is none. */
  textOf(path: string): string | undefined {
    return this.files.get(path)?.text;
  }
  /**
   * A source's parse, with its syntax errors. Not held by the source: a run's sources would keep every
   * parse alive to its end. A file several renders read is parsed once and kept until `release`; nodes
   * are only read, never changed. An inline patch is neither kept nor announced.
   */
  parse(src: Src): ParsedYaml {
    let parsed = this.store.get(src.text);
    if (!parsed) {
      parsed = parseYaml(src.text);
      if (!src.inline && this.shared?.(src.file)) this.store.set(src.text, parsed);
    }
    if (!src.inline && !this.parsed.has(src.file)) {
      this.parsed.add(src.file);
      this.onFirstParse?.(src, parsed);
    }
    return parsed;
  }
  /** The last render that reads `path` is done: its parse goes. */
  release(path: string): void {
    const f = this.files.get(path);
    if (f) this.store.delete(f.text);
  }
  /** Some file of the workspace lies in this folder. */
  hasUnder(dir: string): boolean {
    const prefix = dir ? `${dir}/` : '';
    for (const p of this.files.keys()) if (p.startsWith(prefix)) return true;
    return false;
  }
  file(path: string): Src | undefined {
    const hit = this.byPath.get(path);
    if (hit) return hit;
    const f = this.files.get(path);
    if (!f) return undefined;
    const src = new Src(f.path, f.text, this.list.length + 1, this);
    this.list.push(src);
    this.byPath.set(path, src);
    return src;
  }
  /** The text of a scalar in `host` (an inline patch) as a source of its own. */
  inline(host: Src, node: Scalar): Src {
    const key = `${host.id}|${node.range?.[0] ?? -1}`;
    const hit = this.inlines.get(key);
    if (hit) return hit;
    const st = scalarText(host.ix, node);
    const src = new Src(host.file, st.value, this.list.length + 1, this, { ix: host.ix, at: st.at, whole: st.loc });
    this.list.push(src);
    this.inlines.set(key, src);
    return src;
  }
  /** Locs a command parse left in global offsets, placed in their files. */
  place(loc: Loc): Loc {
    return loc.start >= STRIDE ? this.index.loc(loc.start, loc.end) : loc;
  }
}

export interface PortItem {
  p: ContainerPort;
  /** The list item it was read from, to pair a patch's items with their directives. */
  node?: Node;
  /** `protocol` as written: Kustomize merges by what is written, not by the default. */
  proto?: string;
}

/** One `env` entry; `v` for a literal value, `ref` for a configMapKeyRef, neither for other sources (kept for list indexes). */
export interface EnvEntry {
  name: string;
  node?: Node;
  v?: EnvVar;
  ref?: { name: string; configMap: string; key: string };
}

export interface KCont {
  c: K8sContainer;
  node?: Node;
  ports: PortItem[];
  env: EnvEntry[];
  /** `envFrom` entries in order; undefined for a secretRef. */
  envFrom: (string | undefined)[];
  /** `command` and `args` as words in global offsets; undefined when not given. */
  cmd?: Word[];
  args?: Word[];
}

export interface KWork {
  w: K8sWorkload;
  containers: KCont[];
  inits: KCont[];
}

export interface SvcPortItem {
  p: K8sServicePort;
  node?: Node;
  proto?: string;
}

/** One resource of a kustomization's output. */
export interface KObj {
  apiVersion: string;
  kind: string;
  /** Every name it has had, the original first and the current last. */
  names: string[];
  orgNs?: string;
  ns?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nameLoc: Loc;
  file: string;
  work?: KWork;
  svc?: { s: K8sService; ports: SvcPortItem[] };
  cm?: K8sConfigMap;
  backends: K8sBackend[];
  policy?: K8sNetworkPolicy;
}

export function curName(o: KObj): string {
  return o.names[o.names.length - 1];
}

export const PROBE_KINDS = ['liveness', 'readiness', 'startup'] as const;

/** The pod spec path of a workload kind. */
export function podSpecPath(kind: string): string[] {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}

/** The pod labels path of a workload kind (what Services select). */
export function podLabelsPath(kind: string): string[] {
  if (kind === 'Pod') return ['metadata', 'labels'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'];
  return ['spec', 'template', 'metadata', 'labels'];
}

function within(loc: Loc, node: Node): boolean {
  const r = node.range;
  return !!r && loc.start >= r[0] && loc.end <= r[1];
}

/** Shifts every Loc of facts read from an inline source onto the kustomization file. */
function relocate(src: Src, root: unknown): void {
  if (!src.inline) return;
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    // YAML nodes are kept for pairing, not facts; words are placed later, through the sources' index.
    if (!x || typeof x !== 'object' || seen.has(x) || isNode(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const v of x) walk(v);
      return;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.file === 'string' && typeof o.start === 'number' && typeof o.end === 'number' && typeof o.endCol === 'number') {
      if (o.start < STRIDE) Object.assign(o, src.loc(o.start, o.end));
      return;
    }
    // A value that cannot be placed char for char cannot be edited by a fix.
    if (!src.exact && typeof o.literal === 'boolean') o.literal = false;
    for (const v of Object.values(o)) walk(v);
  };
  walk(root);
}

/** Words of `command`/`args` in global offsets; undefined when the key is absent, [] when null. */
export function wordsOf(src: Src, node: Node | undefined | null, single = false): Word[] | undefined {
  if (node === undefined) return undefined;
  if (node === null) return [];
  const g = src.id * STRIDE;
  const shift = (l: Loc): Loc => ({ ...l, start: g + l.start, end: g + l.end });
  const word = (n: Scalar): Word => {
    const st = scalarText(src.ix, n);
    const at = st.at && src.exact ? (i: number): number => g + (st.at as (i: number) => number)(i) : undefined;
    return { text: st.value, at, loc: shift(st.loc) };
  };
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return [];
    if (single) return [word(node)];
    const w = word(node);
    return shellWords(w.text, w.at, w.loc);
  }
  const out: Word[] = [];
  for (const a of items(node)) if (isScalar(a)) out.push(word(a));
  return out;
}

/** Reads one object (a resource, a patch or a fragment wrapped as an object) with extractKubernetes. */
export function readObject(src: Src, node: Node, problems?: Problem[]): KObj | undefined {
  if (!isMap(node)) return undefined;
  const kind = str(get(node, 'kind'));
  if (!kind) return undefined;
  const facts = extractKubernetes({ path: src.file, text: src.text }, [{ contents: node } as unknown as YamlDoc], src.ix, false);
  const meta = get(node, 'metadata');
  const nameNode = get(meta, 'name');
  const o: KObj = {
    apiVersion: str(get(node, 'apiVersion')) ?? '',
    kind,
    names: [str(nameNode) ?? ''],
    orgNs: str(get(meta, 'namespace')),
    ns: str(get(meta, 'namespace')),
    labels: stringMap(get(meta, 'labels')),
    annotations: stringMap(get(meta, 'annotations')),
    nameLoc: nameNode && isScalar(nameNode) ? scalarText(src.ix, nameNode).loc : src.ix.loc(node.range?.[0] ?? 0, node.range?.[0] ?? 0),
    file: src.file,
    backends: facts.backends,
  };
  const w = facts.workloads[0];
  if (w) {
    const spec = path(node, ...podSpecPath(kind));
    const nodes = [...items(get(spec, 'containers')), ...items(get(spec, 'initContainers'))];
    const conts = w.containers.map((c, i) => container(src, c, nodes[i]));
    o.work = { w, containers: conts.filter((c) => !c.c.init), inits: conts.filter((c) => c.c.init) };
    // A Pod's labels are its metadata labels: one map, so a label transformer changes both.
    if (kind === 'Pod') o.labels = w.labels;
  }
  const s = facts.services[0];
  if (s) {
    const pnodes = items(path(node, 'spec', 'ports'));
    o.svc = {
      s,
      ports: s.ports.map((p) => {
        const n = pnodes.find((x) => within(p.port.loc, x));
        return { p, node: n, proto: str(get(n, 'protocol')) };
      }),
    };
  }
  if (facts.configMaps[0]) o.cm = facts.configMaps[0];
  if (facts.networkPolicies[0]) o.policy = facts.networkPolicies[0];
  // One walk: a problem and a fact may share one Loc object, which must move once.
  relocate(src, [o, facts.problems]);
  if (problems) problems.push(...facts.problems);
  return o;
}

function container(src: Src, c: K8sContainer, node: Node | undefined): KCont {
  const k: KCont = { c, node, ports: [], env: [], envFrom: [] };
  if (!node) {
    k.ports = c.ports.map((p) => ({ p }));
    k.env = [...c.env.map((v) => ({ name: v.name, v })), ...c.envRefs.map((ref) => ({ name: ref.name, ref }))];
    k.envFrom = [...c.envFrom];
    return k;
  }
  const pnodes = items(get(node, 'ports'));
  for (const p of c.ports) {
    const n = pnodes.find((x) => within(p.containerPort.loc, x));
    k.ports.push({ p, node: n, proto: str(get(n, 'protocol')) });
  }
  const refs = [...c.envRefs];
  for (const e of items(get(node, 'env'))) {
    const name = str(get(e, 'name'));
    if (name === undefined) continue;
    const v = c.env.find((x) => x.name === name && within(x.nameLoc, e));
    const ri = refs.findIndex((r) => r.name === name);
    const entry: EnvEntry = { name, node: e };
    if (v) entry.v = v;
    else if (ri >= 0 && get(get(e, 'valueFrom'), 'configMapKeyRef')) entry.ref = refs.splice(ri, 1)[0];
    k.env.push(entry);
  }
  for (const e of items(get(node, 'envFrom'))) k.envFrom.push(str(get(get(e, 'configMapRef'), 'name')));
  k.cmd = wordsOf(src, nullable(node, 'command'));
  k.args = wordsOf(src, nullable(node, 'args'));
  return k;
}

/** The value of `key`: undefined when absent, null when given as null. */
export function nullable(node: unknown, key: string): Node | null | undefined {
  if (!isMap(node)) return undefined;
  for (const p of pairs(node)) if (String(p.key.value) === key) return p.value === undefined || (isScalar(p.value) && p.value.value === null) ? null : p.value;
  return undefined;
}

/** Builds YAML nodes around existing ones, to read a fragment of a patch (a port, a container) as part of an object. */
export function yamlOf(value: unknown): Node {
  if (isNode(value)) return value as Node;
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const v of value) seq.items.push(yamlOf(v));
    return seq as unknown as Node;
  }
  if (value && typeof value === 'object') {
    const map = new YAMLMap();
    for (const [k, v] of Object.entries(value)) map.items.push(new Pair(new Scalar(k), yamlOf(v)));
    return map as unknown as Node;
  }
  return new Scalar(value) as unknown as Node;
}

/** A fragment read as part of a synthetic object of `kind`: `tree` holds the fragment's nodes. */
export function readFragment(src: Src, kind: string, tree: Record<string, unknown>, problems: Problem[]): KObj | undefined {
  const api = kind === 'Pod' || kind === 'Service' || kind === 'ConfigMap' ? 'v1' : 'apps/v1';
  return readObject(src, yamlOf({ apiVersion: api, kind, metadata: { name: '_' }, ...tree }), problems);
}

/** The facts of a container after every merge: its command parsed again, with the variables it ends up with. */
function finishContainer(k: KCont, sources: Sources): K8sContainer {
  const env = kubeletEnv(k.env.flatMap((e) => (e.v ? [e.v] : [])));
  const words = [...(k.cmd ?? []), ...(k.args ?? [])];
  let command: CommandInfo = { ports: [], binds: [] };
  if (words.length) {
    const value = (name: string): string | undefined => env.find((x) => x.name === name)?.value;
    const parsed = parseCommand(sources.index, kubeletWords(words, value), value);
    command = { ports: parsed.ports.map((p) => ({ ...p, loc: sources.place(p.loc) })), binds: parsed.binds.map((b) => ({ ...b, loc: sources.place(b.loc) })) };
  }
  return {
    ...k.c,
    ports: k.ports.map((p) => p.p),
    env,
    envRefs: k.env.flatMap((e) => (e.ref ? [e.ref] : [])),
    envFrom: k.envFrom.filter((x): x is string => x !== undefined),
    probes: [...k.c.probes],
    command,
  };
}

/** The facts of one rendered object. */
export function finishObject(o: KObj, sources: Sources): { workload?: K8sWorkload; service?: K8sService; configMap?: K8sConfigMap; backends: K8sBackend[]; policy?: K8sNetworkPolicy } {
  const name = curName(o);
  const namespace = o.ns ?? 'default';
  const out: ReturnType<typeof finishObject> = { backends: o.backends.map((b) => ({ ...b, from: `${o.kind} ${name}` })) };
  if (o.work) {
    out.workload = {
      ...o.work.w,
      name,
      ...(o.names[0] && o.names[0] !== name ? { baseName: o.names[0] } : {}),
      namespace,
      labels: { ...o.work.w.labels },
      containers: [...o.work.containers, ...o.work.inits].map((c) => finishContainer(c, sources)),
    };
  }
  if (o.svc) out.service = { ...o.svc.s, name, namespace, ports: o.svc.ports.map((p) => p.p) };
  if (o.cm) out.configMap = { ...o.cm, name, namespace };
  if (o.policy) out.policy = { ...o.policy, name, namespace };
  return out;
}

/** A port value of a replacement: the source's text, placed where the source wrote it. */
export function portFromText(text: string, loc: Loc, literal: boolean, allowName: boolean): { port?: number; name?: string; raw: string; loc: Loc; literal: boolean } | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < 1 || n > 65535) return undefined;
    return { port: n, raw: text, loc, literal };
  }
  if (allowName && /^[a-z0-9-]+$/.test(text)) return { name: text, raw: text, loc, literal: false };
  return undefined;
}

/** An EnvVar whose value a replacement or a generator set. */
export function envVarOf(name: string, value: string, nameLoc: Loc, valueLoc: Loc, exact: boolean): EnvVar {
  const isInt = /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
  const v: EnvVar = { name, value, nameLoc, valueLoc, literal: isInt && exact };
  if (isInt) v.port = Number(value);
  return v;
}
