// Kustomize overlays rendered per environment at the facts level: resources, components, generators, patches and transformers applied in Kustomize's order.
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap } from 'yaml';
import type { Node } from 'yaml';
import type { EnvVar, K8sFacts, Loc, Problem, SourceFile } from '../types';
import { dirOf } from '../paths';
import { get, items, scalarText, str, stringMap } from '../yaml';
import { extractDotenv } from './dotenv';
import { mergeObject } from './kustomize-merge';
import { curName, envVarOf, finishObject, readObject, Sources } from './kustomize-objects';
import type { KObj, Src } from './kustomize-objects';
import { applyJsonOp, fieldPathTokens, isPortSlot, locate, locateAll, pointerTokens, readSlot, writeSlot } from './kustomize-paths';
import type { Copied } from './kustomize-paths';
import type { Word } from './command';
import { sameInputs } from './render';
import type { EnvOf, KeptKustRender, RenderMemo, Renders } from './render';

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/** Kinds without a namespace: the namespace transformer leaves them alone. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'RuntimeClass', 'CSIDriver', 'GatewayClass',
]);

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

function selects(sel: Selector, o: KObj): boolean {
  const slash = o.apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? o.apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? o.apiVersion.slice(slash + 1) : o.apiVersion;
  if (sel.kind && !anchored(sel.kind, [o.kind])) return false;
  if (sel.name && !anchored(sel.name, [o.names[0], curName(o)])) return false;
  if (sel.namespace && !anchored(sel.namespace, [o.orgNs ?? 'default', o.ns ?? 'default'])) return false;
  if (sel.group && !anchored(sel.group, [group])) return false;
  if (sel.version && !anchored(sel.version, [version])) return false;
  if (sel.labelSelector && !labelsMatch(sel.labelSelector, o.labels)) return false;
  if (sel.annotationSelector && !labelsMatch(sel.annotationSelector, o.annotations)) return false;
  return true;
}

/** A strategic merge patch without a kind takes its target's, so it reads as that kind. */
function withKind(node: Node, kind: string): Node {
  if (str(get(node, 'kind')) !== undefined || !isMap(node)) return node;
  const m = new YAMLMap();
  m.items.push(...(node as YAMLMap).items, new Pair(new Scalar('kind'), new Scalar(kind)));
  return m as unknown as Node;
}

/** Lists and single objects of a manifest, one node per object. */
function objectNodes(node: unknown): Node[] {
  if (!isMap(node)) return [];
  const kind = str(get(node, 'kind'));
  if (kind?.endsWith('List') && isSeq(get(node, 'items'))) return items(get(node, 'items')).flatMap(objectNodes);
  return [node as Node];
}

/** `a → b → a`: the folders from `p`'s first inclusion on the stack back to `p` (`.` for the workspace root). */
function cyclePath(stack: string[], p: string): string {
  return [...stack.slice(stack.indexOf(p)), p].map((d) => d || '.').join(' → ');
}

interface Ctx {
  sources: Sources;
  kusts: Kusts;
}

/** One render: what it read, what it could not follow, and the problems of the patches it applied. */
class Render {
  readonly consumed = new Set<string>();
  readonly unknowns: Problem[] = [];
  readonly problems: Problem[] = [];
  /** Everything the render looked up in the workspace (see RenderMemo): while all of it reads the same, so does the render. */
  readonly reads = new Map<string, string | boolean | undefined>();
  private readonly seen = new Set<string>();
  /** The legacy `vars` of every kustomization built, resolved once on the output (applyVars). */
  private readonly vars: { name: string; kind: string; objName: string; apiVersion?: string; fieldPath: string; at: Loc }[] = [];
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

  /** Problems of patches: a partial manifest leaves fields out on purpose, so "missing" is not one. */
  private patchProblems(list: Problem[]): void {
    for (const p of list) {
      if (/is missing or empty$/.test(p.message)) continue;
      const k = `${p.loc.file}|${p.loc.start}|${p.message}`;
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      this.problems.push(p);
    }
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
  build(dir: string, stack: string[]): KObj[] {
    const k = this.kust(dir);
    if (!k) return [];
    this.consumed.add(k.path);
    const inner = [...stack, dir];
    let objs: KObj[] = [];
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

  private resource(k: Kust, n: Node, stack: string[]): KObj[] {
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
    const out: KObj[] = [];
    for (const doc of src.docs()) for (const node of objectNodes(doc.contents)) {
      const o = readObject(src, node);
      if (o) out.push(o);
    }
    this.noted(src);
    return out;
  }

  /** A component adds its resources to the including kustomization's, then transforms them all. */
  private component(k: Kust, n: Node, objs: KObj[], stack: string[]): KObj[] {
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
  applyVars(objs: KObj[]): void {
    if (this.vars.length === 0) return;
    const values = new Map<string, string>();
    for (const v of this.vars) {
      if (values.has(v.name)) continue;
      const o = objs.find((x) => x.kind === v.kind && x.names[0] === v.objName && (v.apiVersion === undefined || x.apiVersion === v.apiVersion));
      if (!o) {
        this.unknown(v.at, `var ${v.name} refers to ${v.kind} ${v.objName}, which this kustomization does not output: kustomize cannot build it`);
        continue;
      }
      const slot = locate(o, fieldPathTokens(v.fieldPath));
      const got = slot.t === 'missing' ? undefined : readSlot(o, slot);
      if (got) values.set(v.name, got.text);
      else if (slot.t === 'missing') this.unknown(v.at, `var ${v.name} reads ${v.fieldPath}, which ${v.kind} ${curName(o)} does not have: kustomize cannot build it`);
      else this.unknown(v.at, `var ${v.name} reads ${v.fieldPath} of ${v.kind} ${curName(o)}, which Port Parity does not follow: the values that use $(${v.name}) are not checked`);
    }
    // Kubernetes' expansion syntax, which Kustomize uses: `$$` is `$`, an unknown `$(X)` stays as it is.
    const expand = (s: string): string => s.replace(/\$\$|\$\(([^)]*)\)/g, (m, name?: string) => (name === undefined ? '$' : (values.get(name) ?? m)));
    const words = (list: Word[] | undefined): Word[] | undefined =>
      list?.map((w) => {
        const text = expand(w.text);
        return text === w.text ? w : { text, loc: w.loc };
      });
    for (const o of objs) {
      for (const c of [...(o.work?.containers ?? []), ...(o.work?.inits ?? [])]) {
        c.env = c.env.map((e) => {
          if (!e.v || !e.v.value.includes('$')) return e;
          const value = expand(e.v.value);
          return value === e.v.value ? e : { ...e, v: envVarOf(e.v.name, value, e.v.nameLoc, e.v.valueLoc, false) };
        });
        c.cmd = words(c.cmd);
        c.args = words(c.args);
      }
    }
  }

  /** Generators, then the transformers in Kustomize's order: patches, namespace, names, labels, JSON patches, replacements. */
  private own(k: Kust, objs: KObj[]): KObj[] {
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
    const ns = str(get(root, 'namespace'));
    if (ns) {
      for (const o of objs) {
        if (CLUSTER_SCOPED.has(o.kind)) continue;
        for (const b of o.backends) if (b.namespace === (o.ns ?? 'default')) b.namespace = ns;
        o.ns = ns;
      }
    }
    const prefix = str(get(root, 'namePrefix')) ?? '';
    const suffix = str(get(root, 'nameSuffix')) ?? '';
    if (prefix || suffix) for (const o of objs) if (o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition') o.names.push(`${prefix}${curName(o)}${suffix}`);
    const common = stringMap(get(root, 'commonLabels'));
    if (Object.keys(common).length) addLabels(objs, common, true, true);
    for (const n of items(get(root, 'labels'))) {
      const sel = str(get(n, 'includeSelectors')) === 'true';
      addLabels(objs, stringMap(get(n, 'pairs')), sel, sel || str(get(n, 'includeTemplates')) === 'true');
    }
    for (const n of items(get(root, 'patchesJson6902'))) objs = this.patchEntry(k, n, objs, true);
    for (const n of items(get(root, 'replacements'))) this.replacementEntry(k, n, objs);
    return objs;
  }

  /** configMapGenerator: literals and env files become ConfigMap data (the hash suffix is left out: references follow it). */
  private generate(k: Kust, objs: KObj[]): void {
    for (const g of items(get(k.root, 'configMapGenerator'))) {
      const nameNode = get(g, 'name');
      const name = str(nameNode);
      if (!name || !nameNode) continue;
      const ns = str(get(g, 'namespace'));
      const data: EnvVar[] = [];
      for (const lit of items(get(g, 'literals'))) {
        const v = this.literal(k, lit);
        if (v) data.push(v);
      }
      const envNode = get(g, 'env');
      for (const n of [...items(get(g, 'envs')), ...(envNode ? [envNode] : [])]) {
        const p = this.local(k, n, 'env file');
        if (p === undefined) continue;
        const src = this.file(p);
        if (!src) {
          this.unknown(this.tokenLoc(k, n), `configMapGenerator env file ${str(n)} is not a file Port Parity reads: its variables are not checked`);
          continue;
        }
        this.consumed.add(p);
        data.push(...extractDotenv({ path: src.file, text: src.text }).vars);
      }
      for (const n of items(get(g, 'files'))) {
        const ref = str(n)?.replace(/^[^=]*=/, '');
        if (ref && !isRemote(ref) && this.has(resolve(k.dir, ref))) this.consumed.add(resolve(k.dir, ref));
      }
      const behavior = str(get(g, 'behavior')) ?? 'create';
      const existing = behavior === 'create' ? undefined : objs.find((o) => o.cm && o.names.includes(name) && (ns === undefined || (o.ns ?? 'default') === ns));
      if (existing?.cm) {
        const keep = behavior === 'replace' ? [] : existing.cm.data.filter((e) => !data.some((d) => d.name === e.name));
        existing.cm = { ...existing.cm, data: [...keep, ...data] };
        continue;
      }
      objs.push({
        apiVersion: 'v1', kind: 'ConfigMap', names: [name], ns, orgNs: ns, labels: {}, annotations: {},
        nameLoc: this.tokenLoc(k, nameNode), file: k.path, backends: [],
        cm: { name, namespace: ns ?? 'default', data },
      });
    }
  }

  /** `KEY=VALUE` of a generator, with the exact ranges of the key and the value (quotes left out). */
  private literal(k: Kust, n: Node): EnvVar | undefined {
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
    const loc = (a: number, b: number): Loc => (at ? k.src.ix.loc(at(a), b > a ? at(b - 1) + 1 : at(a)) : st.loc);
    return envVarOf(text.slice(0, eq).trim(), text.slice(vs, ve), loc(0, eq), loc(vs, ve), !!at);
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
  private patchEntry(k: Kust, n: Node, objs: KObj[], json6902 = false): KObj[] {
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
  private patchFile(k: Kust, n: Node, target: Selector | undefined, objs: KObj[], kind: 'smp' | 'json' | 'any', inline?: boolean): KObj[] {
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

  private applySmp(src: Src, node: Node, target: Selector | undefined, objs: KObj[], where: Loc, label: string): KObj[] {
    if (!isMap(node)) return objs;
    const kind = str(get(node, 'kind'));
    const name = str(get(get(node, 'metadata'), 'name'));
    const ns = str(get(get(node, 'metadata'), 'namespace'));
    const matched = target
      ? objs.filter((o) => selects(target, o))
      : objs.filter((o) => o.kind === kind && (o.names[0] === name || curName(o) === name) && (ns === undefined || ns === (o.orgNs ?? 'default') || ns === (o.ns ?? 'default')));
    // A patch without a target must match: Kustomize stops on one that does not. With a target, none is fine.
    if (matched.length === 0 && !target) {
      this.unknown(where, `${label} matches no resource${kind && name ? ` (${kind} ${name})` : ''}: kustomize cannot apply it`);
      return objs;
    }
    const problems: Problem[] = [];
    let out = objs;
    for (const o of matched) {
      const pn = withKind(node, o.kind);
      const p = readObject(src, pn, problems);
      if (p && mergeObject(o, p, pn) === 'delete') out = out.filter((x) => x !== o);
    }
    this.patchProblems(problems);
    return out;
  }

  private applyJson(src: Src, ops: Node, target: Selector, objs: KObj[]): KObj[] {
    // A target that selects nothing leaves the resources as they are, as in Kustomize.
    const matched = objs.filter((o) => selects(target, o));
    const problems: Problem[] = [];
    for (const o of matched) {
      for (const opNode of items(ops)) {
        const op = str(get(opNode, 'op'));
        const pathNode = get(opNode, 'path');
        const pointer = str(pathNode);
        if (!op || pointer === undefined || !pathNode || op === 'test') continue;
        const loc = isScalar(pathNode) ? src.loc(...scalarRange(src, pathNode)) : src.nodeLoc(pathNode);
        const slot = locate(o, pointerTokens(pointer));
        const what = `${o.kind} ${curName(o)}`;
        if (op === 'move' || op === 'copy') {
          if (slot.t !== 'ignored') this.unknown(loc, `JSON patch ${op} to ${pointer} in ${what} is not followed: its ports are not checked`);
          continue;
        }
        const r = applyJsonOp(o, slot, op, get(opNode, 'value'), src, problems);
        if (r === 'missing') this.unknown(loc, `JSON patch path ${pointer} does not exist in ${what}: kustomize cannot apply it`);
        else if (r === 'unfollowed') this.unknown(loc, `JSON patch ${op} ${pointer} in ${what} is not followed: its ports are not checked`);
      }
    }
    this.patchProblems(problems);
    return objs;
  }

  private replacementEntry(k: Kust, n: Node, objs: KObj[]): void {
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

  /** A replacement copies one field into others; followed where it reads or writes ports. */
  private replacement(src: Src, r: Node, objs: KObj[]): void {
    const source = get(r, 'source');
    const sel = selectorOf(source);
    const fieldPath = str(get(source, 'fieldPath')) ?? 'metadata.name';
    const from = sel ? objs.find((o) => selects(sel, o)) : undefined;
    let value: Copied | undefined = from ? readSlot(from, locate(from, fieldPathTokens(fieldPath))) : undefined;
    const opts = get(source, 'options');
    const delim = str(get(opts, 'delimiter'));
    if (value && delim !== undefined) {
      const part = value.text.split(delim)[Number(str(get(opts, 'index')) ?? '0')];
      value = part === undefined ? undefined : { text: part, loc: value.loc, literal: false };
    }
    const problems: Problem[] = [];
    for (const t of items(get(r, 'targets'))) {
      const tsel = selectorOf(get(t, 'select'));
      if (!tsel) continue;
      const rejects = items(get(t, 'reject')).map(selectorOf).filter((x): x is Selector => !!x);
      const targets = objs.filter((o) => selects(tsel, o) && !rejects.some((x) => selects(x, o)));
      const tdelim = str(get(get(t, 'options'), 'delimiter'));
      for (const fp of items(get(t, 'fieldPaths'))) {
        const path = str(fp);
        if (!path) continue;
        const loc = isScalar(fp) ? src.loc(...scalarRange(src, fp)) : src.nodeLoc(fp);
        for (const o of targets) {
          for (const slot of locateAll(o, fieldPathTokens(path))) {
            const what = `${path} of ${o.kind} ${curName(o)}`;
            if (slot.t === 'missing') {
              this.unknown(loc, `replacement target ${what} does not exist: kustomize cannot apply it`);
              continue;
            }
            if (!isPortSlot(slot)) {
              if (value && tdelim === undefined) writeSlot(o, slot, value, problems);
              continue;
            }
            if (!value || tdelim !== undefined) {
              this.unknown(loc, `replacement into ${what} is not followed: its ports are not checked`);
              continue;
            }
            const res = writeSlot(o, slot, value, problems);
            if (res === 'missing') this.unknown(loc, `replacement target ${what} does not exist: kustomize cannot apply it`);
            else if (res === 'unfollowed') this.unknown(loc, `replacement into ${what} is not followed: its ports are not checked`);
          }
        }
      }
    }
    this.patchProblems(problems);
  }
}

/** The offsets of a scalar's text (quotes left out). */
function scalarRange(src: Src, n: Scalar): [number, number] {
  const st = scalarText(src.ix, n);
  return [st.loc.start, st.loc.end];
}

/** commonLabels and labels: metadata always; pod templates and selectors when asked (Kustomize creates a Service's selector). */
function addLabels(objs: KObj[], labels: Record<string, string>, selectors: boolean, templates: boolean): void {
  if (Object.keys(labels).length === 0) return;
  for (const o of objs) {
    Object.assign(o.labels, labels);
    if (o.work && templates) Object.assign(o.work.w.labels, labels);
    if (!selectors) continue;
    if (o.svc) o.svc.s = { ...o.svc.s, selector: { ...(o.svc.s.selector ?? {}), ...labels } };
    if (o.policy && Object.keys(o.policy.podSelector).length) o.policy = { ...o.policy, podSelector: { ...o.policy.podSelector, ...labels } };
  }
}

/** Kustomize rewrites references to renamed ConfigMaps and Services (envFrom, configMapKeyRef, Ingress backends) in the final output. */
function fixReferences(objs: KObj[]): void {
  const rename = (ref: string, pool: KObj[], ns: string | undefined): string => {
    if (pool.some((o) => curName(o) === ref)) return ref;
    const hits = pool.filter((o) => o.names.includes(ref));
    const hit = hits.find((o) => o.ns === ns) ?? hits[0];
    return hit ? curName(hit) : ref;
  };
  const cms = objs.filter((o) => o.cm);
  const svcs = objs.filter((o) => o.svc);
  for (const o of objs) {
    if (o.work) {
      for (const c of [...o.work.containers, ...o.work.inits]) {
        c.envFrom = c.envFrom.map((n) => (n === undefined ? n : rename(n, cms, o.ns)));
        c.env = c.env.map((e) => (e.ref ? { ...e, ref: { ...e.ref, configMap: rename(e.ref.configMap, cms, o.ns) } } : e));
      }
    }
    // Kustomize's name references cover Ingress backends, not Gateway API routes.
    if (o.kind === 'Ingress') for (const b of o.backends) b.service = rename(b.service, svcs, b.namespace === 'default' ? undefined : b.namespace);
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
  const { sources } = ctx;
  const r = new Render(ctx);
  const objs = r.build(k.dir, []);
  r.applyVars(objs);
  fixReferences(objs);
  const f: K8sFacts = {
    kind: 'kubernetes', file: `${k.path}#${env ?? 'base'}`, env, renderedFrom: `kustomization ${k.dir || '.'}`, unknowns: r.unknowns,
    workloads: [], services: [], configMaps: [], backends: [], networkPolicies: [], problems: r.problems, suppressions: [],
  };
  for (const o of objs) {
    const out = finishObject(o, sources);
    if (out.workload) f.workloads.push(out.workload);
    if (out.service) f.services.push(out.service);
    if (out.configMap) f.configMaps.push(out.configMap);
    if (out.policy) f.networkPolicies.push(out.policy);
    f.backends.push(...out.backends);
  }
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
