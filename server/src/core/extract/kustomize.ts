// Kustomize overlays rendered per environment on YAML trees: resources, components, generators, patches and transformers applied in Kustomize's order, then read by the Kubernetes extractor.
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap } from 'yaml';
import type { Node } from 'yaml';
import type { K8sFacts, Loc, Problem, SourceFile } from '../types';
import { dirOf } from '../paths';
import { get, getKey, items, scalarText, str } from '../yaml';
import { extractDotenv } from './dotenv';
import { addAffixes, addLabels, fixReferences, generatedConfigMap, setNamespace, substituteVars } from './kustomize-fields';
import { curName, kindOf, metaMap, nsOf, objectNodes, readOutput, readResource, Sources, syncName } from './kustomize-objects';
import type { KRes, Src } from './kustomize-objects';
import { applyOperation, deleteKey, fieldPathTokens, mergeObject, Origins, pointerTokens, setAt, setKey, slotsOf, valueAt } from './kustomize-tree';
import { sameInputs } from './render';
import type { EnvOf, KeptKustRender, RenderMemo, Renders } from './render';

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION.test(posix.basename(path));
}

/** A remote base or resource: a URL, a `git::`/`git@` address, a `github.com/...` path or a `?ref=`. */
export function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(git::|git@|ssh:)/i.test(ref) || /[?&](ref|version|timeout|submodules)=/.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(ref);
}

/** Resolved references: every render of an overlay resolves its bases' entries again. */
const RESOLVED = new Map<string, string>();

function resolve(dir: string, ref: string): string {
  const key = `${dir}\u0000${ref}`;
  let r = RESOLVED.get(key);
  if (r === undefined) {
    const j = posix.normalize(posix.join(dir || '.', ref));
    r = j === '.' || j === './' ? '' : j.replace(/\/$/, '');
    if (RESOLVED.size >= 20000) RESOLVED.clear();
    RESOLVED.set(key, r);
  }
  return r;
}

/** What a kustomization's text says, whatever else the workspace holds (the language server keeps it while the text is the same). */
export interface KustRead {
  dir: string;
  path: string;
  root: Node | undefined;
  component: boolean;
  /** Its local resources, bases and components, resolved (files or folders, present or not). */
  refs: string[];
  /** Its local patch files, resolved (present or not). */
  patchRefs: string[];
  /** What its parse left unread (a bound or an alias). */
  notes: { message: string; offset: number }[];
}

export interface Kust extends KustRead {
  src: Src;
  /** The workspace files it takes in itself: its patch files, then its resource files (not folders). */
  inputs: string[];
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

interface Ctx {
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
class Render {
  readonly consumed = new Set<string>();
  readonly unknowns: Problem[] = [];
  /** Everything the render looked up in the workspace (see RenderMemo): while all of it reads the same, so does the render. */
  readonly reads = new Map<string, string | boolean | undefined>();
  /** Files read as resources: they report their own problems when read for themselves. */
  private readonly resources = new Set<string>();
  private readonly seen = new Set<string>();
  /** The legacy `vars` of every kustomization built, resolved once on the output (applyVars). */
  private readonly vars: { name: string; kind: string; objName: string; apiVersion?: string; fieldPath: string; at: Loc }[] = [];
  private readonly origins: Origins<Src>;
  constructor(private readonly ctx: Ctx) {
    this.origins = ctx.sources.origins;
  }

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
      const o = readResource(this.ctx.sources, src, node);
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
    substituteVars(this.ctx.sources, objs, values);
  }

  /** Generators, then the transformers in Kustomize's order: patches, namespace, names, labels, JSON patches, replacements. */
  private own(k: Kust, objs: KRes[]): KRes[] {
    const root = k.root;
    const sources = this.ctx.sources;
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
    if (isScalar(ns) && str(ns)) setNamespace(sources, objs, this.origins.copy(ns, k.src), this.origins.copy(getKey(root, 'namespace') as Scalar, k.src));
    const prefix = str(get(root, 'namePrefix')) ?? '';
    const suffix = str(get(root, 'nameSuffix')) ?? '';
    if (prefix || suffix) addAffixes(sources, objs, prefix, suffix);
    addLabels(sources, objs, this.origins.copy(get(root, 'commonLabels'), k.src), true, true);
    for (const n of items(get(root, 'labels'))) {
      const sel = str(get(n, 'includeSelectors')) === 'true';
      addLabels(sources, objs, this.origins.copy(get(n, 'pairs'), k.src), sel, sel || str(get(n, 'includeTemplates')) === 'true');
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
        const map = isMap(old) && behavior !== 'replace' ? old : this.origins.copy(new YAMLMap(), k.src);
        for (const [key, value] of data) {
          deleteKey(map, String(key.value));
          map.items.push(new Pair(key, value));
        }
        setKey(existing.node, 'data', map);
        continue;
      }
      const node = generatedConfigMap(this.ctx.sources, k.src, g, this.origins.copy(nameNode, k.src), this.origins.copy(nsNode, k.src), data);
      objs.push({ node, names: [name], orgNs: ns });
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
    for (const o of matched) if (mergeObject(o.node, node, this.origins, src) === 'delete') out = out.filter((x) => x !== o);
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
        const r = applyOperation(o.node, op, pointerTokens(pointer), get(opNode, 'value'), from === undefined ? undefined : pointerTokens(from), this.origins, src);
        syncName(o);
        const loc = isScalar(pathNode) ? scalarText(src.ix, pathNode).loc : src.nodeLoc(pathNode);
        const what = `${kindOf(o)} ${curName(o)}`;
        if (r === 'missing') this.unknown(loc, from !== undefined && (op === 'move' || op === 'copy') ? `JSON patch ${op} from ${from} to ${pointer} in ${what}: one of the paths does not exist, kustomize cannot apply it` : `JSON patch path ${pointer} does not exist in ${what}: kustomize cannot apply it`);
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
          const slots = slotsOf(o.node, fieldPathTokens(path), create ? () => this.origins.copy(new YAMLMap(), src) : undefined);
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

function localRefs(dir: string, root: Node | undefined): string[] {
  const out: string[] = [];
  for (const key of ['resources', 'bases', 'components']) for (const n of items(get(root, key))) {
    const ref = str(n);
    if (ref !== undefined && !isRemote(ref)) out.push(resolve(dir, ref));
  }
  return out;
}

/** The local files a kustomization applies as patches (inline patches and remote ones left out). */
function patchRefs(dir: string, root: Node | undefined): string[] {
  const refs: (string | undefined)[] = items(get(root, 'patchesStrategicMerge')).map((n) => str(n));
  for (const key of ['patches', 'patchesJson6902']) for (const n of items(get(root, key))) refs.push(str(get(n, 'path')));
  const out: string[] = [];
  for (const r of refs) if (r && !r.includes('\n') && !isRemote(r)) out.push(resolve(dir, r));
  return out;
}

function reach(start: string, edges: Map<string, Set<string>>): Set<string> {
  const out = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const d = todo.pop() as string;
    for (const n of edges.get(d) ?? []) if (!out.has(n)) {
      out.add(n);
      todo.push(n);
    }
  }
  return out;
}

/**
 * The cycles of the include graph (its strongly connected components of more than one folder), each
 * folder of a cycle mapped to the cycle's folders in the order of `dirs` (Tarjan's algorithm, without recursion).
 */
function cyclesOf(dirs: string[], edges: Map<string, Set<string>>): Map<string, string[]> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out = new Map<string, string[]>();
  const order = new Map(dirs.map((d, i) => [d, i]));
  for (const start of dirs) {
    if (index.has(start)) continue;
    const work: { d: string; next: Iterator<string> }[] = [];
    const enter = (d: string): void => {
      index.set(d, index.size);
      low.set(d, index.get(d) as number);
      stack.push(d);
      onStack.add(d);
      work.push({ d, next: (edges.get(d) ?? new Set<string>()).values() });
    };
    enter(start);
    while (work.length) {
      const top = work[work.length - 1];
      const step = top.next.next();
      if (!step.done) {
        const n = step.value;
        if (!index.has(n)) enter(n);
        else if (onStack.has(n)) low.set(top.d, Math.min(low.get(top.d) as number, index.get(n) as number));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].d, Math.min(low.get(work[work.length - 1].d) as number, low.get(top.d) as number));
      if (low.get(top.d) !== index.get(top.d)) continue;
      const scc: string[] = [];
      let d: string;
      do {
        d = stack.pop() as string;
        onStack.delete(d);
        scc.push(d);
      } while (d !== top.d);
      if (scc.length < 2) continue;
      scc.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      for (const m of scc) out.set(m, scc);
    }
  }
  return out;
}

/**
 * Every kustomization that is an environment (its folder names one) renders as that environment,
 * unless an including kustomization of the same environment renders it. A root that names no
 * environment and includes none renders as an unmarked base. Bases and components an overlay
 * includes are not environments of their own.
 */
export function kustomizeRenders(plan: KustomizePlan, envOf: EnvOf, memo?: RenderMemo): Renders {
  const consumed = new Set<string>();
  const { sources, kusts } = plan;
  if (kusts.size === 0) return { facts: [], consumed };
  const parents = new Map<string, Set<string>>();
  const children = new Map<string, Set<string>>();
  for (const k of kusts.values()) {
    for (const p of k.refs) {
      if (!kusts.has(p) || p === k.dir) continue;
      parents.set(p, (parents.get(p) ?? new Set()).add(k.dir));
      children.set(k.dir, (children.get(k.dir) ?? new Set()).add(p));
    }
  }
  const envOfDir = (dir: string): string | undefined => {
    const k = kusts.get(dir);
    return k ? envOf(k.path) : undefined;
  };
  // Overlays that include each other (a → b → a) are each other's parents: within such a cycle, the
  // first member of each environment (and the first unmarked one) renders, the entry that closes the
  // cycle is reported there, and what can be built is checked.
  const cycle = cyclesOf([...kusts.values()].map((k) => k.dir), children);
  const renders: { k: Kust; env?: string }[] = [];
  for (const k of kusts.values()) {
    if (k.component) continue;
    const env = envOfDir(k.dir);
    const mates = cycle.get(k.dir) ?? [k.dir];
    const before = mates.slice(0, mates.indexOf(k.dir));
    const above = [...reach(k.dir, parents)].filter((a) => !mates.includes(a));
    if (env) {
      if (!above.some((a) => envOfDir(a) === env) && !before.some((a) => envOfDir(a) === env)) renders.push({ k, env });
      continue;
    }
    if (above.length || mates.some((a) => a !== k.dir && (envOfDir(a) !== undefined || before.includes(a)))) continue;
    // A root that gathers environment overlays is not an environment itself: its overlays render on their own.
    if ([...reach(k.dir, children)].some((d) => envOfDir(d) !== undefined)) continue;
    renders.push({ k });
  }
  // Files more than one render reads (a base under two overlays) keep their parse until the last of them.
  const uses = new Map<string, number>();
  for (const { k } of renders) {
    const files = new Set<string>();
    for (const d of [k.dir, ...reach(k.dir, children)]) for (const p of kusts.get(d)?.inputs ?? []) files.add(p);
    for (const p of files) uses.set(p, (uses.get(p) ?? 0) + 1);
  }
  sources.shared = (path) => (uses.get(path) ?? 0) > 1;
  const facts: K8sFacts[] = [];
  const kept = new Set<string>();
  for (const { k, env } of renders) {
    const key = `${k.dir}\0${env ?? ''}`;
    kept.add(key);
    const hit = memo?.kustRenders.get(key);
    if (hit && readsTheSame(hit.reads, plan)) {
      facts.push(hit.facts);
      for (const p of hit.consumed) consumed.add(p);
      continue;
    }
    const { f, r } = renderOne(plan, k, env);
    facts.push(f);
    memo?.kustRenders.set(key, { reads: r.reads, facts: f, consumed: [...r.consumed] });
    for (const p of r.consumed) {
      consumed.add(p);
      const left = (uses.get(p) ?? 1) - 1;
      uses.set(p, left);
      if (left <= 0) sources.release(p);
    }
  }
  sources.shared = undefined;
  if (memo) for (const key of [...memo.kustRenders.keys()]) if (!kept.has(key)) memo.kustRenders.delete(key);
  return { facts, consumed };
}

/** One kustomization rendered as one environment. */
function renderOne(ctx: Ctx, k: Kust, env: string | undefined): { f: K8sFacts; r: Render } {
  const r = new Render(ctx);
  const objs = r.build(k.dir, []);
  r.applyVars(objs);
  fixReferences(ctx.sources, objs);
  const file = `${k.path}#${env ?? 'base'}`;
  const out = readOutput(ctx.sources, file, objs, (p) => r.keeps(p));
  const f: K8sFacts = { kind: 'kubernetes', file, env, renderedFrom: `kustomization ${k.dir || '.'}`, unknowns: r.unknowns, ...out, suppressions: [] };
  return { f, r };
}

/**
 * The language server's fast path after an edit of files renders read (a patch, a base resource, a
 * kustomization): the kept renders that looked any of them up are made again, the others stay as they
 * are. An edited kustomization must still take in the same resources, bases, components and patch
 * files and be what it was (a component or not): otherwise which renders exist, and which files are
 * patches, change, and the caller renders everything. `read`: the changed files the renders read (an
 * edited kustomization always counts). Undefined when the fast path cannot answer.
 */
export function kustomizeRerender(files: SourceFile[], changed: string[], memo: RenderMemo): { facts: K8sFacts[]; read: Set<string> } | undefined {
  const read = new Set<string>();
  const edited = new Map<string, KustRead>();
  for (const p of changed) {
    if (!isKustomizationFile(p)) continue;
    const was = memo.kusts.get(p)?.read;
    if (!was) return undefined;
    edited.set(was.dir, was);
    read.add(p);
  }
  const again: [string, KeptKustRender][] = [];
  for (const [key, kept] of memo.kustRenders) {
    // An edited kustomization counts for the renders that read it; a file beside it (a chart's
    // Chart.yaml, say) only for those that read that file.
    const hits = changed.filter((p) => kept.reads.has(`f\0${p}`) || (isKustomizationFile(p) && edited.get(dirOf(p))?.path === p && kept.reads.has(`k\0${dirOf(p)}`)));
    if (hits.length === 0) continue;
    again.push([key, kept]);
    for (const p of hits) read.add(p);
  }
  if (again.length === 0 && edited.size === 0) return { facts: [], read };
  // Only the kustomizations these renders reach are read (from the memo where their text is the same).
  const sources = new Sources(new Map(files.map((f) => [f.path, f])));
  const plan: Ctx = { sources, kusts: new Kusts(files, sources, memo) };
  for (const [dir, was] of edited) {
    const now = plan.kusts.get(dir);
    if (!now || now.path !== was.path || now.component !== was.component || !sameInputs(now.refs, was.refs) || !sameInputs(now.patchRefs, was.patchRefs)) return undefined;
  }
  const facts: K8sFacts[] = [];
  for (const [key, kept] of again) {
    const [dir, env] = key.split('\0');
    const k = plan.kusts.get(dir);
    if (!k) return undefined;
    const { f, r } = renderOne(plan, k, env || undefined);
    // The files a render consumes stop counting alone: an edited kustomization must keep them the same.
    if (r.consumed.size !== kept.consumed.length || kept.consumed.some((p) => !r.consumed.has(p))) return undefined;
    memo.kustRenders.set(key, { reads: r.reads, facts: f, consumed: [...r.consumed] });
    facts.push(f);
  }
  return { facts, read };
}

/** Whether everything a kept render looked up reads the same in this run. */
function readsTheSame(reads: Map<string, string | boolean | undefined>, plan: Ctx): boolean {
  for (const [key, was] of reads) {
    const what = key.slice(2);
    const now = key[0] === 'k' ? plan.kusts.get(what)?.src.text : key[0] === 'f' ? plan.sources.textOf(what) : plan.sources.hasUnder(what);
    if (now !== was) return false;
  }
  return true;
}

/** The kustomizations of a run by folder (the first by name where a folder has two), each read when first asked for. */
export class Kusts {
  private readonly files = new Map<string, SourceFile>();
  private readonly made = new Map<string, Kust>();
  /** `memo`: the language server's, which keeps what each kustomization says while its text is the same. */
  constructor(all: SourceFile[], private readonly sources: Sources, private readonly memo?: RenderMemo) {
    for (const f of all.filter((x) => isKustomizationFile(x.path)).sort((a, b) => a.path.localeCompare(b.path))) {
      const dir = dirOf(f.path);
      if (!this.files.has(dir)) this.files.set(dir, f);
    }
  }
  get size(): number {
    return this.files.size;
  }
  has(dir: string): boolean {
    return this.files.has(dir);
  }
  get(dir: string): Kust | undefined {
    const hit = this.made.get(dir);
    if (hit) return hit;
    const f = this.files.get(dir);
    if (!f) return undefined;
    const src = this.sources.file(f.path) as Src;
    const kept = this.memo?.kusts.get(f.path);
    let read = kept?.text === f.text ? kept.read : undefined;
    if (!read) {
      const root = (src.docs()[0]?.contents ?? undefined) as Node | undefined;
      read = { dir, path: f.path, root, component: str(get(root, 'kind')) === 'Component', refs: localRefs(dir, root), patchRefs: patchRefs(dir, root), notes: src.notes };
      this.memo?.kusts.set(f.path, { text: f.text, read });
    }
    const own = read.patchRefs.filter((p) => this.sources.has(p));
    const k: Kust = { ...read, src, inputs: [...own, ...read.refs.filter((p) => this.sources.has(p) && !this.has(p))] };
    this.made.set(dir, k);
    return k;
  }
  /** Every kustomization, in the order of their paths. */
  *values(): IterableIterator<Kust> {
    for (const dir of this.files.keys()) yield this.get(dir) as Kust;
  }
  /** Forgets what the memo keeps of kustomizations this run does not have. */
  prune(): void {
    if (!this.memo || this.memo.kusts.size <= this.files.size) return;
    const live = new Set([...this.files.values()].map((f) => f.path));
    for (const p of [...this.memo.kusts.keys()]) if (!live.has(p)) this.memo.kusts.delete(p);
  }
}

/**
 * The kustomizations of a workspace, parsed once for the whole run, and the files they take in: the
 * patches they apply and the files they list as resources. The engine does not read those alone: it
 * takes their own facts from the parse the renders made (`sources`), so each is parsed once.
 */
export interface KustomizePlan extends Ctx {
  /** Files any kustomization applies as patches: partial manifests, read only through their kustomization. */
  patches: Set<string>;
  /** Patches and resource files (not folders) of any kustomization. */
  inputs: Set<string>;
}

/** `memo`: the language server's, which keeps each kustomization's parse while its text is the same. */
export function kustomizePlan(files: SourceFile[], memo?: RenderMemo): KustomizePlan {
  const sources = new Sources(new Map(files.map((f) => [f.path, f])));
  const kusts = new Kusts(files, sources, memo);
  const patches = new Set<string>();
  const inputs = new Set<string>();
  for (const k of kusts.values()) {
    for (const p of k.patchRefs) if (sources.has(p)) patches.add(p);
    for (const p of k.inputs) inputs.add(p);
  }
  kusts.prune();
  return { sources, kusts, patches, inputs };
}
