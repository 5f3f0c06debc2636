// One Kustomize render on YAML trees: resources and components read into trees, generators, patches and transformers applied in Kustomize's order, then the output read by the Kubernetes extractor.
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap } from 'yaml';
import type { Node } from 'yaml';
import type { K8sFacts, Loc, Problem } from '../../types';
import { get, getKey, items, scalarText, str } from '../../yaml';
import { extractDotenv } from '../dotenv/read';
import type { Kust, Kusts } from './kustomize';
import { addAffixes, addLabels, fixReferences, generatedConfigMap, setNamespace, substituteVars } from './kustomize-fields';
import { curName, kindOf, metaMap, nsOf, objectNodes, readOutput, readResource, syncName } from './kustomize-objects';
import type { KRes, Sources, Src } from './kustomize-objects';
import { applyOperation, deleteKey, fieldPathTokens, mergeObject, Origins, pointerTokens, setAt, setKey, slotsOf, valueAt, writableSlots } from './kustomize-tree';

/** A remote base or resource: a URL, a `git::`/`git@` address, a `github.com/...` path or a `?ref=`. */
export function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(git::|git@|ssh:)/i.test(ref) || /[?&](ref|version|timeout|submodules)=/.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(ref);
}

/** Resolved references by folder and entry: every render of an overlay resolves its bases' entries again. */
const RESOLVED = new Map<string, Map<string, string>>();

export function resolve(dir: string, ref: string): string {
  let inDir = RESOLVED.get(dir);
  if (!inDir) {
    if (RESOLVED.size >= 20000) RESOLVED.clear();
    RESOLVED.set(dir, (inDir = new Map()));
  }
  let r = inDir.get(ref);
  if (r === undefined) {
    const j = posix.normalize(posix.join(dir || '.', ref));
    r = j === '.' || j === './' ? '' : j.replace(/\/$/, '');
    if (inDir.size < 1000) inDir.set(ref, r);
  }
  return r;
}

/** A patch target or replacement selector; string fields are anchored regular expressions, as in Kustomize. */
interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

function selectorOf(node: unknown): Selector | undefined {
  if (!isMap(node)) return undefined;
  const sel: Selector = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const v = str(get(node, k));
    if (v !== undefined && v !== '') sel[k] = v;
  }
  return sel;
}

function anchored(pattern: string, values: (string | undefined)[]): boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    return values.includes(pattern);
  }
  return values.some((v) => v !== undefined && re.test(v));
}

/** A label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function labelsMatch(expr: string, labels: Record<string, string>): boolean {
  const reqs = expr.split(/,(?![^(]*\))/).map((r) => r.trim()).filter(Boolean);
  return reqs.every((r) => {
    let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r);
    if (m) {
      const vals = m[3].split(',').map((v) => v.trim());
      const has = m[1] in labels && vals.includes(labels[m[1]]);
      return m[2] === 'in' ? has : !has;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(r);
    if (m) return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    if (r.startsWith('!')) return !(r.slice(1).trim() in labels);
    return r in labels;
  });
}

function selects(sel: Selector, o: KRes): boolean {
  const api = str(get(o.node, 'apiVersion')) ?? '';
  const slash = api.lastIndexOf('/');
  const group = slash >= 0 ? api.slice(0, slash) : '';
  const version = slash >= 0 ? api.slice(slash + 1) : api;
  if (sel.kind && !anchored(sel.kind, [kindOf(o)])) return false;
  if (sel.name && !anchored(sel.name, [o.names[0], curName(o)])) return false;
  if (sel.namespace && !anchored(sel.namespace, [o.orgNs ?? 'default', nsOf(o) ?? 'default'])) return false;
  if (sel.group && !anchored(sel.group, [group])) return false;
  if (sel.version && !anchored(sel.version, [version])) return false;
  if (sel.labelSelector && !labelsMatch(sel.labelSelector, metaMap(o, 'labels'))) return false;
  if (sel.annotationSelector && !labelsMatch(sel.annotationSelector, metaMap(o, 'annotations'))) return false;
  return true;
}

/** `a → b → a`: the folders from `p`'s first inclusion on the stack back to `p` (`.` for the workspace root). */
function cyclePath(stack: string[], p: string): string {
  return [...stack.slice(stack.indexOf(p)), p].map((d) => d || '.').join(' → ');
}

export interface Ctx {
  sources: Sources;
  kusts: Kusts;
}

/** A scalar value of `text` for a field that held `like`: a number stays a number, as Kustomize keeps the target's type. */
function typedLike(text: string, like: unknown): unknown {
  if (isScalar(like) && typeof like.value === 'number' && /^-?\d+$/.test(text)) return Number(text);
  if (isScalar(like) && typeof like.value === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** One render: what it read, what it could not follow, and its own problems (those of its patches and generated values). */
export class Render {
  readonly consumed = new Set<string>();
  readonly unknowns: Problem[] = [];
  /** Everything the render looked up in the workspace (see RenderMemo): while all of it reads the same, so does the render. */
  readonly reads = new Map<string, string | boolean | undefined>();
  /** Files read as resources: they report their own problems when read for themselves. */
  private readonly resources = new Set<string>();
  private readonly seen = new Set<string>();
  /** The legacy `vars` of every kustomization built, resolved once on the output (applyVars). */
  private readonly vars: { name: string; kind: string; objName: string; apiVersion?: string; fieldPath: string; at: Loc }[] = [];
  /** Where each node of this render's trees was written (dropped with the render). */
  readonly origins = new Origins<Src>();
  constructor(private readonly ctx: Ctx) {}

  private kust(dir: string): Kust | undefined {
    const k = this.ctx.kusts.get(dir);
    this.reads.set(`k\0${dir}`, k?.src.text);
    for (const n of k?.notes ?? []) this.unknown(k?.src.loc(n.offset, n.offset) as Loc, n.message);
    return k;
  }

  /** A source's parse notes become the render's unknowns (after its docs() was read). */
  private noted(src: Src): void {
    for (const n of src.notes) this.unknown(src.loc(n.offset, n.offset), n.message);
  }

  private file(path: string): Src | undefined {
    this.reads.set(`f\0${path}`, this.ctx.sources.textOf(path));
    return this.ctx.sources.file(path);
  }

  private has(path: string): boolean {
    const text = this.ctx.sources.textOf(path);
    this.reads.set(`f\0${path}`, text);
    return text !== undefined;
  }

  private hasUnder(dir: string): boolean {
    const v = this.ctx.sources.hasUnder(dir);
    this.reads.set(`u\0${dir}`, v);
    return v;
  }

  private unknown(loc: Loc, message: string): void {
    const k = `${loc.file}|${loc.start}|${message}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.unknowns.push({ message, loc });
  }

  /**
   * Whether a problem of the output is the render's own: not one in a resource file (that file reports
   * it), and not a missing field (a partial manifest leaves fields out on purpose); each once.
   */
  keeps(p: Problem): boolean {
    if (this.resources.has(p.loc.file) || /is missing or empty$/.test(p.message)) return false;
    const k = `${p.loc.file}|${p.loc.start}|${p.message}`;
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }

  /** Where to report a kustomization entry: a scalar's text (a block's first line), a map's `name`. */
  private tokenLoc(k: Kust, node: Node): Loc {
    if (!isScalar(node)) {
      const name = get(node, 'name');
      return name && isScalar(name) ? this.tokenLoc(k, name) : k.src.nodeLoc(node);
    }
    const st = scalarText(k.src.ix, node);
    const nl = st.value.indexOf('\n');
    return nl > 0 && st.at ? k.src.ix.loc(st.at(0), st.at(nl - 1) + 1) : st.loc;
  }

  /** The objects a kustomization outputs. */
  build(dir: string, stack: string[]): KRes[] {
    const k = this.kust(dir);
    if (!k) return [];
    this.consumed.add(k.path);
    const inner = [...stack, dir];
    let objs: KRes[] = [];
    for (const n of [...items(get(k.root, 'resources')), ...items(get(k.root, 'bases'))]) objs.push(...this.resource(k, n, inner));
    for (const n of items(get(k.root, 'components'))) objs = this.component(k, n, objs, inner);
    return this.own(k, objs);
  }

  private local(k: Kust, n: Node, what: string): string | undefined {
    const ref = str(n);
    if (ref === undefined) return undefined;
    if (isRemote(ref)) {
      this.unknown(this.tokenLoc(k, n), `remote ${what} ${ref} is not read: its ports are not checked`);
      return undefined;
    }
    return resolve(k.dir, ref);
  }

  private resource(k: Kust, n: Node, stack: string[]): KRes[] {
    const p = this.local(k, n, 'resource');
    if (p === undefined) return [];
    if (this.kust(p)) {
      if (stack.includes(p)) {
        this.unknown(this.tokenLoc(k, n), p === k.dir ? `resource ${str(n)} includes itself: kustomize cannot build it` : `resource ${str(n)} closes a cycle of kustomizations (${cyclePath(stack, p)}): kustomize cannot build it; the rest is checked`);
        return [];
      }
      return this.build(p, stack);
    }
    const src = this.file(p);
    if (!src) {
      const folder = this.hasUnder(p);
      this.unknown(this.tokenLoc(k, n), folder ? `resource folder ${str(n)} has no kustomization: kustomize cannot build it` : `resource ${str(n)} is not a file Port Parity reads in this workspace: its ports are not checked`);
      return [];
    }
    this.consumed.add(p);
    this.resources.add(p);
    const out: KRes[] = [];
    for (const doc of src.docs()) for (const node of objectNodes(doc.contents)) {
      const o = readResource(src, node);
      if (o) out.push(o);
    }
    this.noted(src);
    return out;
  }

  /** A component adds its resources to the including kustomization's, then transforms them all. */
  private component(k: Kust, n: Node, objs: KRes[], stack: string[]): KRes[] {
    const p = this.local(k, n, 'component');
    if (p === undefined) return objs;
    const c = this.kust(p);
    if (c && stack.includes(p)) {
      this.unknown(this.tokenLoc(k, n), `component ${str(n)} closes a cycle of kustomizations (${cyclePath(stack, p)}): kustomize cannot build it; the rest is checked`);
      return objs;
    }
    if (!c) {
      this.unknown(this.tokenLoc(k, n), `component ${str(n)} is not a kustomization in this workspace: its ports are not checked`);
      return objs;
    }
    this.consumed.add(c.path);
    const inner = [...stack, p];
    let out = [...objs];
    for (const r of [...items(get(c.root, 'resources')), ...items(get(c.root, 'bases'))]) out.push(...this.resource(c, r, inner));
    for (const r of items(get(c.root, 'components'))) out = this.component(c, r, out, inner);
    return this.own(c, out);
  }

  /**
   * Kustomize's legacy `vars`, once the whole output is built: each names a field of an object (by its
   * original name; `metadata.name` by default), and `$(NAME)` in a container's env values, command and
   * args becomes that field's value (`$$` an escaped `$`), as `kubectl kustomize` substitutes them.
   * A var whose object or field is not there is an unknown, and its `$(NAME)` stays.
   */
  applyVars(objs: KRes[]): void {
    if (this.vars.length === 0) return;
    const values = new Map<string, string>();
    for (const v of this.vars) {
      if (values.has(v.name)) continue;
      const o = objs.find((x) => kindOf(x) === v.kind && x.names[0] === v.objName && (v.apiVersion === undefined || str(get(x.node, 'apiVersion')) === v.apiVersion));
      if (!o) {
        this.unknown(v.at, `var ${v.name} refers to ${v.kind} ${v.objName}, which this kustomization does not output: kustomize cannot build it`);
        continue;
      }
      const [slot] = slotsOf(o.node, fieldPathTokens(v.fieldPath));
      const got = slot && valueAt(slot);
      if (got === undefined) this.unknown(v.at, `var ${v.name} reads ${v.fieldPath}, which ${v.kind} ${curName(o)} does not have: kustomize cannot build it`);
      else if (str(got) === undefined) this.unknown(v.at, `var ${v.name} reads ${v.fieldPath} of ${v.kind} ${curName(o)}, which is not a value: the values that use $(${v.name}) are not checked`);
      else values.set(v.name, str(got) as string);
    }
    substituteVars(this.origins, objs, values);
  }

  /** Generators, then the transformers in Kustomize's order: patches, namespace, names, labels, JSON patches, replacements. */
  private own(k: Kust, objs: KRes[]): KRes[] {
    const root = k.root;
    for (const n of items(get(root, 'vars'))) {
      const ref = get(n, 'objref');
      const [name, kind, objName] = [str(get(n, 'name')), str(get(ref, 'kind')), str(get(ref, 'name'))];
      if (name && kind && objName) this.vars.push({ name, kind, objName, apiVersion: str(get(ref, 'apiVersion')), fieldPath: str(get(get(n, 'fieldref'), 'fieldpath')) ?? 'metadata.name', at: this.tokenLoc(k, get(n, 'name') ?? n) });
    }
    for (const key of ['helmCharts', 'generators', 'transformers', 'validators']) {
      for (const n of items(get(root, key))) {
        const label = str(n) ?? str(get(n, 'name')) ?? key;
        this.unknown(this.tokenLoc(k, n), `${key === 'helmCharts' ? 'Helm chart' : key.slice(0, -1)} ${label} is not run: the ports it produces or changes are not checked`);
      }
    }
    this.generate(k, objs);
    for (const n of items(get(root, 'patchesStrategicMerge'))) objs = this.patchFile(k, n, undefined, objs, 'smp');
    for (const n of items(get(root, 'patches'))) objs = this.patchEntry(k, n, objs);
    const ns = get(root, 'namespace');
    if (isScalar(ns) && str(ns)) setNamespace(this.origins, objs, this.origins.copy(ns, k.src), this.origins.copy(getKey(root, 'namespace') as Scalar, k.src));
    const prefix = str(get(root, 'namePrefix')) ?? '';
    const suffix = str(get(root, 'nameSuffix')) ?? '';
    if (prefix || suffix) addAffixes(this.origins, objs, prefix, suffix);
    addLabels(this.origins, objs, this.origins.copy(get(root, 'commonLabels'), k.src), true, true);
    for (const n of items(get(root, 'labels'))) {
      const sel = str(get(n, 'includeSelectors')) === 'true';
      addLabels(this.origins, objs, this.origins.copy(get(n, 'pairs'), k.src), sel, sel || str(get(n, 'includeTemplates')) === 'true');
    }
    for (const n of items(get(root, 'patchesJson6902'))) objs = this.patchEntry(k, n, objs, true);
    for (const n of items(get(root, 'replacements'))) this.replacementEntry(k, n, objs);
    return objs;
  }

  /** configMapGenerator: literals and env files become ConfigMap data (the hash suffix is left out: references follow it). */
  private generate(k: Kust, objs: KRes[]): void {
    for (const g of items(get(k.root, 'configMapGenerator'))) {
      const nameNode = get(g, 'name');
      const name = str(nameNode);
      if (!name || !isScalar(nameNode)) continue;
      const nsNode = get(g, 'namespace');
      const ns = str(nsNode);
      const data: [Scalar, Scalar][] = [];
      for (const lit of items(get(g, 'literals'))) {
        const v = this.literal(k, lit);
        if (v) data.push(v);
      }
      const envNode = get(g, 'env');
      for (const n of [...items(get(g, 'envs')), ...(envNode ? [envNode] : [])]) data.push(...this.envFile(k, n));
      for (const n of items(get(g, 'files'))) {
        const ref = str(n)?.replace(/^[^=]*=/, '');
        if (ref && !isRemote(ref) && this.has(resolve(k.dir, ref))) this.consumed.add(resolve(k.dir, ref));
      }
      const behavior = str(get(g, 'behavior')) ?? 'create';
      const existing = behavior === 'create' ? undefined : objs.find((o) => kindOf(o) === 'ConfigMap' && o.names.includes(name) && (ns === undefined || (nsOf(o) ?? 'default') === ns));
      if (existing) {
        const old = get(existing.node, 'data');
        const map = isMap(old) && behavior !== 'replace' ? this.origins.writable(old) : this.origins.fresh(new YAMLMap(), k.src);
        for (const [key, value] of data) {
          deleteKey(map, String(key.value));
          map.items.push(new Pair(key, value));
        }
        existing.node = this.origins.writable(existing.node);
        setKey(existing.node, 'data', map);
        continue;
      }
      const node = generatedConfigMap(this.origins, k.src, g, this.origins.copy(nameNode, k.src), this.origins.copy(nsNode, k.src), data);
      objs.push({ node, src: k.src, names: [name], orgNs: ns });
    }
  }

  /** A scalar of `value` at offsets [a, b) of `src` (a value a generator read), placed there. */
  private at(src: Src, value: string, a: number, b: number): Scalar {
    const s = new Scalar(value);
    s.range = [a, b, b];
    this.origins.place(s, src);
    return s;
  }

  /** `KEY=VALUE` of a generator, with the exact ranges of the key and the value (quotes left out). */
  private literal(k: Kust, n: Node): [Scalar, Scalar] | undefined {
    if (!isScalar(n)) return undefined;
    const st = scalarText(k.src.ix, n);
    const text = st.value;
    const eq = text.indexOf('=');
    if (eq <= 0) return undefined;
    let vs = eq + 1;
    let ve = text.length;
    if (ve - vs >= 2 && (text[vs] === '"' || text[vs] === "'") && text[ve - 1] === text[vs]) {
      vs++;
      ve--;
    }
    const at = st.at;
    const r = n.range ?? [0, 0, 0];
    const place = (value: string, a: number, b: number): Scalar => (at ? this.at(k.src, value, at(a), b > a ? at(b - 1) + 1 : at(a)) : this.at(k.src, value, r[0], r[1]));
    return [place(text.slice(0, eq).trim(), 0, eq), place(text.slice(vs, ve), vs, ve)];
  }

  /** The variables of a generator's env file, each placed in that file. */
  private envFile(k: Kust, n: Node): [Scalar, Scalar][] {
    const p = this.local(k, n, 'env file');
    if (p === undefined) return [];
    const src = this.file(p);
    if (!src) {
      this.unknown(this.tokenLoc(k, n), `configMapGenerator env file ${str(n)} is not a file Port Parity reads: its variables are not checked`);
      return [];
    }
    this.consumed.add(p);
    return extractDotenv({ path: src.file, text: src.text }).vars.map((v) => [this.at(src, v.name, v.nameLoc.start, v.nameLoc.end), this.at(src, v.value, v.valueLoc.start, v.valueLoc.end)]);
  }

  /** The source of a patch: a file of the workspace or the inline text of the kustomization. */
  private patchSource(k: Kust, n: Node, inlineAllowed: boolean): Src | undefined {
    const ref = str(n);
    if (ref === undefined || !isScalar(n)) return undefined;
    const inline = ref.includes('\n') || /^\s*[[{]/.test(ref) || /^\s*(apiVersion|kind|-\s*op)\s*:/.test(ref);
    if (inline && inlineAllowed) return this.ctx.sources.inline(k.src, n);
    const p = this.local(k, n, 'patch');
    if (p === undefined) return undefined;
    const src = this.file(p);
    if (!src) {
      this.unknown(this.tokenLoc(k, n), `patch ${ref} is not a file Port Parity reads in this workspace: what it changes is not checked`);
      return undefined;
    }
    this.consumed.add(p);
    return src;
  }

  /** An entry of `patches` or `patchesJson6902`: a `path` or an inline `patch`, with an optional `target`. */
  private patchEntry(k: Kust, n: Node, objs: KRes[], json6902 = false): KRes[] {
    if (!isMap(n)) {
      this.unknown(this.tokenLoc(k, n), `${json6902 ? 'patchesJson6902' : 'patches'} entry ${str(n) ?? ''} is not a map with a path or a patch: kustomize cannot build this kustomization`);
      return objs;
    }
    const target = selectorOf(get(n, 'target'));
    const pathNode = get(n, 'path');
    const patchNode = get(n, 'patch');
    if (pathNode) return this.patchFile(k, pathNode, target, objs, json6902 ? 'json' : 'any', false);
    if (patchNode && isScalar(patchNode)) return this.patchFile(k, patchNode, target, objs, json6902 ? 'json' : 'any', true);
    return objs;
  }

  /** Applies a patch; `inline` is true for a `patch:` text, false for a `path:`, undefined for a patchesStrategicMerge entry (either). */
  private patchFile(k: Kust, n: Node, target: Selector | undefined, objs: KRes[], kind: 'smp' | 'json' | 'any', inline?: boolean): KRes[] {
    const src = inline === true ? this.ctx.sources.inline(k.src, n as unknown as Scalar) : this.patchSource(k, n, inline === undefined);
    if (!src) return objs;
    const where = this.tokenLoc(k, n);
    const label = src.inline ? 'inline patch' : `patch ${str(n)}`;
    const docs = src.docs().filter((d) => d.contents);
    this.noted(src);
    // A YAML or JSON list of operations is a JSON 6902 patch; a map is a strategic merge patch.
    if (docs.length && isSeq(docs[0].contents)) {
      if (kind === 'smp') return objs;
      if (!target) {
        this.unknown(where, `${label} is a JSON patch without a target: kustomize cannot apply it`);
        return objs;
      }
      return this.applyJson(src, docs[0].contents as Node, target, objs);
    }
    if (kind === 'json') return objs;
    for (const d of docs) objs = this.applySmp(src, d.contents as Node, target, objs, where, label);
    return objs;
  }

  private applySmp(src: Src, node: Node, target: Selector | undefined, objs: KRes[], where: Loc, label: string): KRes[] {
    if (!isMap(node)) return objs;
    const kind = str(get(node, 'kind'));
    const name = str(get(get(node, 'metadata'), 'name'));
    const ns = str(get(get(node, 'metadata'), 'namespace'));
    const matched = target
      ? objs.filter((o) => selects(target, o))
      : objs.filter((o) => kindOf(o) === kind && (o.names[0] === name || curName(o) === name) && (ns === undefined || ns === (o.orgNs ?? 'default') || ns === (nsOf(o) ?? 'default')));
    // A patch without a target must match: Kustomize stops on one that does not. With a target, none is fine.
    if (matched.length === 0 && !target) {
      this.unknown(where, `${label} matches no resource${kind && name ? ` (${kind} ${name})` : ''}: kustomize cannot apply it`);
      return objs;
    }
    let out = objs;
    for (const o of matched) if (mergeObject(o, node, this.origins, src) === 'delete') out = out.filter((x) => x !== o);
    return out;
  }

  private applyJson(src: Src, ops: Node, target: Selector, objs: KRes[]): KRes[] {
    // A target that selects nothing leaves the resources as they are, as in Kustomize.
    for (const o of objs.filter((x) => selects(target, x))) {
      for (const opNode of items(ops)) {
        const op = str(get(opNode, 'op'));
        const pathNode = get(opNode, 'path');
        const pointer = str(pathNode);
        if (!op || pointer === undefined || !pathNode) continue;
        const from = str(get(opNode, 'from'));
        const r = applyOperation(o, op, pointerTokens(pointer), get(opNode, 'value'), from === undefined ? undefined : pointerTokens(from), this.origins, src);
        syncName(o);
        const fromNode = get(opNode, 'from');
        const loc = r === 'no-from' && isScalar(fromNode) ? scalarText(src.ix, fromNode).loc : isScalar(pathNode) ? scalarText(src.ix, pathNode).loc : src.nodeLoc(pathNode);
        const what = `${kindOf(o)} ${curName(o)}`;
        if (r === 'missing') this.unknown(loc, `JSON patch path ${pointer} does not exist in ${what}: kustomize cannot apply it`);
        else if (r === 'no-from') this.unknown(loc, `JSON patch ${op} from ${from}, which does not exist in ${what}: kustomize cannot apply it`);
        else if (r === 'failed') this.unknown(loc, `JSON patch test of ${pointer} fails in ${what}: kustomize cannot apply it`);
        else if (r === 'root') this.unknown(loc, `JSON patch ${op} of the whole of ${what} is not followed: its ports are not checked`);
      }
    }
    return objs;
  }

  private replacementEntry(k: Kust, n: Node, objs: KRes[]): void {
    const pathNode = get(n, 'path');
    if (!pathNode) {
      this.replacement(k.src, n, objs);
      return;
    }
    const src = this.patchSource(k, pathNode, false);
    if (!src) return;
    for (const d of src.docs()) {
      const c = d.contents as Node | null;
      for (const r of isSeq(c) ? items(c) : c ? [c] : []) this.replacement(src, r, objs);
    }
    this.noted(src);
  }

  /** The value a replacement copies (its `source`), or undefined with an unknown when there is none. */
  private replacementSource(src: Src, r: Node, objs: KRes[]): Node | undefined {
    const source = get(r, 'source');
    const sel = selectorOf(source);
    const fieldPath = str(get(source, 'fieldPath')) ?? 'metadata.name';
    const at = src.nodeLoc(get(source, 'fieldPath') ?? get(source, 'name') ?? source ?? r);
    const from = sel ? objs.find((o) => selects(sel, o)) : undefined;
    if (!from) {
      this.unknown(at, `replacement source ${sel?.kind ?? ''} ${sel?.name ?? ''} is not in this kustomization's output: kustomize cannot apply it`.replace(/ {2,}/g, ' '));
      return undefined;
    }
    const [slot] = slotsOf(from.node, fieldPathTokens(fieldPath));
    const value = slot && valueAt(slot);
    if (value === undefined) {
      this.unknown(at, `replacement source ${fieldPath} of ${kindOf(from)} ${curName(from)} does not exist: kustomize cannot apply it`);
      return undefined;
    }
    // Copied into other objects, its nodes keep the place they were written.
    this.origins.settle(value, from.src);
    const opts = get(source, 'options');
    const delim = str(get(opts, 'delimiter'));
    if (delim === undefined || !isScalar(value)) return value;
    const part = String(value.value ?? '').split(delim)[Number(str(get(opts, 'index')) ?? '0')];
    return part === undefined ? undefined : this.origins.derive(part, value);
  }

  /** A replacement copies one field into others, each value placed where the source wrote it. */
  private replacement(src: Src, r: Node, objs: KRes[]): void {
    const value = this.replacementSource(src, r, objs);
    for (const t of items(get(r, 'targets'))) {
      const tsel = selectorOf(get(t, 'select'));
      if (!tsel) continue;
      const rejects = items(get(t, 'reject')).map(selectorOf).filter((x): x is Selector => !!x);
      const targets = objs.filter((o) => selects(tsel, o) && !rejects.some((x) => selects(x, o)));
      const opts = get(t, 'options');
      const create = str(get(opts, 'create')) === 'true';
      for (const fp of items(get(t, 'fieldPaths'))) {
        const path = str(fp);
        if (!path) continue;
        const loc = isScalar(fp) ? scalarText(src.ix, fp).loc : src.nodeLoc(fp);
        for (const o of targets) {
          const toks = fieldPathTokens(path);
          const slots = value !== undefined || create ? writableSlots(o, toks, this.origins, create ? () => this.origins.fresh(new YAMLMap(), src) : undefined) : slotsOf(o.node, toks);
          if (slots.length === 0) this.unknown(loc, `replacement target ${path} of ${kindOf(o)} ${curName(o)} does not exist: kustomize cannot apply it`);
          if (value === undefined) continue;
          for (const slot of slots) setAt(slot, this.replaced(valueAt(slot), value, str(get(opts, 'delimiter')), Number(str(get(opts, 'index')) ?? '0')));
          syncName(o);
        }
      }
    }
  }

  /**
   * What a replacement writes: into a scalar, the source's text with the target's type (a number stays
   * a number); with a delimiter, into one part of the target's text. Placed at the source when the
   * result is the source's text, else where the target was written.
   */
  private replaced(cur: Node | undefined, value: Node, delim: string | undefined, index: number): Node {
    if (!isScalar(cur) || !isScalar(value)) return this.origins.copy(value);
    const text = String(value.value ?? '');
    if (delim === undefined) return this.origins.derive(typedLike(text, cur), value);
    const parts = String(cur.value ?? '').split(delim);
    if (index < 0) parts.unshift(text);
    else if (index >= parts.length) parts.push(text);
    else parts[index] = text;
    const joined = parts.join(delim);
    return this.origins.derive(typedLike(joined, cur), joined === text ? value : cur);
  }
}

/** One kustomization rendered as one environment. */
export function renderOne(ctx: Ctx, k: Kust, env: string | undefined): { f: K8sFacts; r: Render } {
  const r = new Render(ctx);
  const objs = r.build(k.dir, []);
  r.applyVars(objs);
  fixReferences(r.origins, objs);
  const file = `${k.path}#${env ?? 'base'}`;
  const { unknowns, ...out } = readOutput(r.origins, file, objs, (p) => r.keeps(p));
  r.unknowns.push(...unknowns);
  const f: K8sFacts = { kind: 'kubernetes', file, env, renderedFrom: `kustomization ${k.dir || '.'}`, unknowns: r.unknowns, ...out, suppressions: [] };
  return { f, r };
}
