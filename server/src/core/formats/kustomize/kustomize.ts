// Kustomize overlays as renders per environment: which kustomizations render, what each render read (kept and re-run by the language server), and the plan of a run.
import { posix } from 'node:path';
import type { Node } from 'yaml';
import type { K8sFacts, SourceFile } from '../../types';
import { dirOf } from '../../paths';
import { get, items, str } from '../../yaml';
import { Sources } from './kustomize-objects';
import type { Src } from './kustomize-objects';
import { isRemote, renderOne, resolve } from './kustomize-render';
import type { Ctx } from './kustomize-render';
import { sameInputs } from '../../extract/render';
import type { EnvOf, KeptKustRender, RenderMemo, Renders } from '../../extract/render';

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION.test(posix.basename(path));
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
 * includes are not environments of their own. `declared`: the environment GitOps files deploy a folder in.
 */
export function kustomizeRenders(plan: KustomizePlan, envOf: EnvOf, memo?: RenderMemo, declared?: Map<string, string>): Renders {
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
  const envs = new Map<string, string | undefined>();
  const envOfDir = (dir: string): string | undefined => {
    if (envs.has(dir)) return envs.get(dir);
    const k = kusts.get(dir);
    // The environment a GitOps file deploys the folder in (formats/gitops) comes before its path's.
    const env = declared?.get(dir) ?? (k ? envOf(k.path) : undefined);
    envs.set(dir, env);
    return env;
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

/**
 * After edits of files renders read (a patch, a base resource, a kustomization): the kept renders
 * that looked any of them up are made again, the others stay as they are (`files`: asked for only
 * then). An edited kustomization must still take in the same resources, bases, components and patch
 * files and be what it was (a component or not): otherwise which renders exist, and which files are
 * patches, change, and the caller looks at every render. `read`: the changed files the renders read (an
 * edited kustomization always counts). Undefined when that cannot answer (every render is then looked at).
 */
export function kustomizeRerender(files: () => SourceFile[], changed: string[], memo: RenderMemo): { facts: K8sFacts[]; read: Set<string> } | undefined {
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
  const all = files();
  const sources = new Sources(new Map(all.map((f) => [f.path, f])));
  const plan: Ctx = { sources, kusts: new Kusts(all, sources, memo) };
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
