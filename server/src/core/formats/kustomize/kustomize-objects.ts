// Kustomize resources as YAML trees: the texts a render reads, each object's tree (every node placed in the file or inline patch that wrote it), and its facts read by the one Kubernetes extractor.
import { isMap, isSeq, Scalar, YAMLMap } from 'yaml';
import type { Node } from 'yaml';
import { LineIndex } from '../../text';
import type { K8sFacts, Loc, Problem, SourceFile } from '../../types';
import { get, items, parseYaml, path, scalarText, str, stringMap } from '../../yaml';
import type { ParsedYaml, YamlDoc } from '../../yaml';
import { extractKubernetes } from '../kubernetes/read';
import type { Origins } from './kustomize-tree';

/** The text of an inline patch (a scalar of a kustomization), placed back onto the kustomization's lines. */
class InlineIndex extends LineIndex {
  override readonly exact: boolean;
  constructor(
    text: string,
    private readonly host: { ix: LineIndex; at?: (i: number) => number; whole: Loc },
  ) {
    super(host.ix.file, text);
    this.exact = host.at !== undefined;
  }
  override loc(start: number, end: number): Loc {
    const { ix, at, whole } = this.host;
    if (!at) return whole;
    return ix.loc(at(start), end > start ? at(end - 1) + 1 : at(start));
  }
}

/** A text a render reads: a workspace file, or an inline patch whose offsets map back onto its kustomization. */
export class Src {
  private index?: LineIndex;
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly owner: Sources,
    private readonly host?: { ix: LineIndex; at?: (i: number) => number; whole: Loc },
  ) {}
  /** The line index of the text, made when first needed (a kept render never needs its kustomizations'). */
  get ix(): LineIndex {
    return (this.index ??= this.host ? new InlineIndex(this.text, this.host) : new LineIndex(this.file, this.text));
  }
  get inline(): boolean {
    return this.host !== undefined;
  }
  loc(start: number, end: number): Loc {
    return this.ix.loc(start, end);
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

/** The texts of one run. */
export class Sources {
  private readonly byPath = new Map<string, Src>();
  private readonly inlines = new Map<string, Src>();
  /** Whether more than one render reads a file: only those parses are kept, until `release`. */
  shared?: (path: string) => boolean;
  /** Called once per file the first time it is parsed in this run (the engine reads its own facts then). */
  onFirstParse?: (src: Src, parsed: ParsedYaml) => void;
  /**
   * The parses of this run that several of its renders read (a base under two overlays), by path, each
   * until the last of them: holding every parse tree to the end of a run costs more in garbage
   * collection than it saves. Nothing is kept from one run to the next: the language server keeps
   * renders instead (render.ts), and an edit renders again only what read the edited file.
   */
  private readonly store = new Map<string, ParsedYaml>();
  /** Files parsed in this run (their own facts were read then). */
  private readonly parsed = new Set<string>();
  constructor(private readonly files: Map<string, SourceFile>) {}
  has(path: string): boolean {
    return this.files.has(path);
  }
  /** The text of a workspace file, undefined when there is none. */
  textOf(path: string): string | undefined {
    return this.files.get(path)?.text;
  }
  /**
   * A source's parse, with its syntax errors. Not held by the source: a run's sources would keep every
   * parse alive to its end. A file several renders read is parsed once and kept until `release`; its
   * nodes are only read (a render copies what it changes). An inline patch is neither kept nor announced.
   */
  parse(src: Src): ParsedYaml {
    let parsed = src.inline ? undefined : this.store.get(src.file);
    if (!parsed) {
      parsed = parseYaml(src.text);
      if (!src.inline && this.shared?.(src.file)) this.store.set(src.file, parsed);
    }
    if (!src.inline && !this.parsed.has(src.file)) {
      this.parsed.add(src.file);
      this.onFirstParse?.(src, parsed);
    }
    return parsed;
  }
  /** The last render that reads `path` is done: its parse goes. */
  release(path: string): void {
    this.store.delete(path);
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
    const src = new Src(f.path, f.text, this);
    this.byPath.set(path, src);
    return src;
  }
  /** The text of a scalar in `host` (an inline patch) as a source of its own. */
  inline(host: Src, node: Scalar): Src {
    const key = `${host.file}|${node.range?.[0] ?? -1}`;
    const hit = this.inlines.get(key);
    if (hit) return hit;
    const st = scalarText(host.ix, node);
    const src = new Src(host.file, st.value, this, { ix: host.ix, at: st.at, whole: st.loc });
    this.inlines.set(key, src);
    return src;
  }
}

/**
 * The index of a render's output (a virtual file): each node is placed through the index of its own
 * text; one the render did not place is the object's own (see Origins), in the file it was read from.
 */
class TreeIndex extends LineIndex {
  /** The object being read. */
  obj?: KRes;
  constructor(
    file: string,
    private readonly origins: Origins<Src>,
  ) {
    super(file, '');
  }
  override of(node: unknown): LineIndex {
    const at = this.origins.of(node);
    if (at) return at.ix;
    return this.obj && (node as Node | null)?.range ? this.obj.src.ix : this;
  }
}

/**
 * One resource of a kustomization's output: its tree (shared with the parse of its file until the
 * render writes into it, see Origins) and the names it has had.
 */
export interface KRes {
  node: YAMLMap;
  /** The file (or generator's kustomization) it was read from: where its own nodes were written. */
  src: Src;
  /** Every name it has had, the original first and the current last. */
  names: string[];
  /** Its namespace as its resource file wrote it. */
  orgNs?: string;
}

export function kindOf(r: KRes): string {
  return str(get(r.node, 'kind')) ?? '';
}

export function curName(r: KRes): string {
  return r.names[r.names.length - 1];
}

export function nsOf(r: KRes): string | undefined {
  return str(path(r.node, 'metadata', 'namespace'));
}

/** After an edit of the tree: a new `metadata.name` is the object's current name. */
export function syncName(r: KRes): void {
  const name = str(path(r.node, 'metadata', 'name'));
  if (name !== undefined && name !== curName(r)) r.names.push(name);
}

/** Lists and single objects of a manifest, one node per object. */
export function objectNodes(node: unknown): Node[] {
  if (!isMap(node)) return [];
  const kind = str(get(node, 'kind'));
  if (kind?.endsWith('List') && isSeq(get(node, 'items'))) return items(get(node, 'items')).flatMap(objectNodes);
  return [node as Node];
}

/** A resource of `src`: its parse's tree, which the render copies where it writes into it. */
export function readResource(src: Src, node: Node): KRes | undefined {
  if (!isMap(node) || !str(get(node, 'kind'))) return undefined;
  const ns = str(path(node, 'metadata', 'namespace'));
  return { node: node as YAMLMap, src, names: [str(path(node, 'metadata', 'name')) ?? ''], orgNs: ns };
}

/** The labels or annotations of an object as they are now. */
export function metaMap(r: KRes, key: 'labels' | 'annotations'): Record<string, string> {
  return stringMap(path(r.node, 'metadata', key));
}

/**
 * The facts of a render's output, read by the Kubernetes extractor from the trees, each value placed
 * in the file that wrote it. `keep`: which problems are the render's own (a resource file reports
 * its own problems when it is read for itself).
 */
export function readOutput(origins: Origins<Src>, file: string, objs: KRes[], keep: (p: Problem) => boolean): Pick<K8sFacts, 'workloads' | 'services' | 'configMaps' | 'backends' | 'networkPolicies' | 'problems'> & { unknowns: Problem[] } {
  const ix = new TreeIndex(file, origins);
  const out: ReturnType<typeof readOutput> = { workloads: [], services: [], configMaps: [], backends: [], networkPolicies: [], problems: [], unknowns: [] };
  for (const o of objs) {
    ix.obj = o;
    const f = extractKubernetes({ path: file, text: '' }, [{ contents: o.node } as unknown as YamlDoc], ix);
    // The name it had in its base is its identity across environments.
    for (const w of f.workloads) out.workloads.push(o.names[0] && o.names[0] !== w.name ? { ...w, baseName: o.names[0] } : w);
    out.services.push(...f.services);
    out.configMaps.push(...f.configMaps);
    out.backends.push(...f.backends);
    out.networkPolicies.push(...f.networkPolicies);
    out.problems.push(...f.problems.filter(keep));
    // An object of a kind the reader does not read, with ports in its pod template.
    out.unknowns.push(...(f.unknowns ?? []));
  }
  return out;
}
