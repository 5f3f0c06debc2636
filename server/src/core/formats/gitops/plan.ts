// The workspace's GitOps declarations resolved: each chart's declared releases (environment, release name, values layers), each declared overlay's environment, and a note for everything not followed.
import { isMap } from 'yaml';
import type { Node } from 'yaml';
import { LineIndex } from '../../text';
import { owningDir } from '../../paths';
import type { K8sFacts, Problem, SourceFile } from '../../types';
import { get, parseYaml, str } from '../../yaml';
import type { EnvOf, RenderMemo, Renders } from '../../extract/render';
import { argoDecls } from './argo';
import { fluxDecls } from './flux';
import { helmfileDecls, isHelmfile } from './helmfile';
import { noteAt, workspaceOf } from './decl';
import type { Decl, LayerSpec, Workspace } from './decl';
import { blockContent, inlineLayer, setLayer } from './layers';
import type { ValuesLayer } from './layers';

/** One release of a chart a GitOps file declares: rendered as its own environment run of the chart. */
export interface DeclaredRelease {
  env?: string;
  /** Unique among the chart's runs: the render's id is `<chart>#<key>`. */
  key: string;
  /** What declares it (`Argo CD Application guestbook-prod`). */
  label: string;
  releaseName?: string;
  layers: ValuesLayer[];
  /** What the render's memo compares: the declaring file and every file a layer reads, with their texts. */
  inputs: string[];
  /** The files its values are written in (the declaring file, values files, ConfigMaps), for locations. */
  files: SourceFile[];
}

export interface GitopsPlan {
  /** Releases by chart folder. */
  charts: Map<string, DeclaredRelease[]>;
  /** The environment each declared kustomization folder renders as. */
  overlays: Map<string, string>;
  /** A fact per declaring file holding its notes; the values files and ConfigMaps releases read (consumed). */
  renders: Renders;
  /** Every file the plan read: declaring files and what their layers read. */
  reads: Set<string>;
}

/** Text that may declare deployments: an Argo CD or a Flux object. */
const DECLARES = /argoproj\.io\/|helm\.toolkit\.fluxcd\.io\/|kustomize\.toolkit\.fluxcd\.io\//;
/** A kind that declares deployments (an Argo Rollout, of the same API group, declares none). */
const DECLARING_KIND = /^\s*kind:\s*["']?(Application|ApplicationSet|HelmRelease|Kustomization)["']?\s*$/m;

const plans = new WeakMap<SourceFile[], { envOf: EnvOf; files: SourceFile[]; plan: GitopsPlan }>();
const lastReads = new WeakMap<RenderMemo, Set<string>>();

/** The plan of a file list (made once per list and environment matcher). */
export function gitopsPlan(files: SourceFile[], envOf: EnvOf): GitopsPlan {
  const hit = plans.get(files);
  // The same list with the same files (a caller may change a list in place after an edit).
  if (hit && hit.envOf === envOf && hit.files.length === files.length && hit.files.every((f, i) => f === files[i])) return hit.plan;
  const plan = makePlan(files, envOf);
  plans.set(files, { envOf, files: [...files], plan });
  return plan;
}

/** The plan's notes and consumed files as a render, remembering what it read for `gitopsTouched`. */
export function gitopsRenders(files: SourceFile[], envOf: EnvOf, memo?: RenderMemo): GitopsPlan {
  const plan = gitopsPlan(files, envOf);
  if (memo) lastReads.set(memo, plan.reads);
  return plan;
}

/**
 * Whether edits may change what GitOps files declare (an edit of a declaring file, of a file a release
 * reads, or text that declares now): then the store looks at every unit, as which runs a chart has can change.
 */
export function gitopsTouched(edited: SourceFile[], memo: RenderMemo): boolean {
  const reads = lastReads.get(memo);
  // A chart's render is keyed by its releases too: with declarations, a chart's edit renders with the whole workspace's plan.
  return edited.some((f) => reads?.has(f.path) || isHelmfile(f.path) || DECLARES.test(f.text) || (gitopsDeclares(memo) && owningDir(f.path, memo.charts) !== undefined));
}

/** Whether the last run's workspace declared anything (then a chart's runs depend on files outside it). */
export function gitopsDeclares(memo: RenderMemo): boolean {
  return (lastReads.get(memo)?.size ?? 0) > 0;
}

function declsOf(ws: Workspace, f: SourceFile, envOf: EnvOf, notes: Problem[]): Decl[] {
  if (isHelmfile(f.path)) return helmfileDecls(ws, f, envOf, notes);
  if (!DECLARES.test(f.text) || !/\.ya?ml$/i.test(f.path)) return [];
  const ix = new LineIndex(f.path, f.text);
  // A chart's template that writes Applications (an app of apps) is a template, not a declaration: said, not followed.
  if (f.path.split('/').includes('templates') && [...ws.charts].some((c) => f.path.startsWith(c ? `${c}/templates/` : 'templates/'))) {
    if (!DECLARING_KIND.test(f.text)) return [];
    const at = Math.max(0, f.text.search(DECLARES));
    notes.push({ message: `${f.path} is a chart template that writes Argo CD or Flux objects (an app of apps): the deployments it renders are not followed, their folders are read as they stand`, loc: ix.loc(at, at) });
    return [];
  }
  const out: Decl[] = [];
  for (const doc of parseYaml(f.text).docs) {
    const obj = doc.contents as Node | null;
    if (!isMap(obj)) continue;
    const api = str(get(obj, 'apiVersion')) ?? '';
    const kind = str(get(obj, 'kind'));
    if (api.startsWith('argoproj.io/') && (kind === 'Application' || kind === 'ApplicationSet')) out.push(...argoDecls(ws, f, ix, obj, notes));
    else if ((api.startsWith('helm.toolkit.fluxcd.io/') && kind === 'HelmRelease') || (api.startsWith('kustomize.toolkit.fluxcd.io/') && kind === 'Kustomization')) out.push(...fluxDecls(f, ix, obj, notes));
  }
  return out;
}

function makePlan(files: SourceFile[], envOf: EnvOf): GitopsPlan {
  const ws = workspaceOf(files);
  const plan: GitopsPlan = { charts: new Map(), overlays: new Map(), renders: { facts: [], consumed: new Set() }, reads: new Set() };
  const notesOf = new Map<string, Problem[]>();
  const objects = new Objects(ws);
  for (const f of files) {
    const notes: Problem[] = [];
    const decls = declsOf(ws, f, envOf, notes);
    if (decls.length === 0 && notes.length === 0) continue;
    plan.reads.add(f.path);
    for (const d of decls) place(plan, ws, objects, d, envOf, notes);
    notesOf.set(f.path, notes);
  }
  for (const [file, notes] of notesOf) {
    const seen = new Set<string>();
    const unknowns = notes.filter((n) => {
      const k = `${n.loc.start}\u0000${n.message}`;
      return !seen.has(k) && seen.add(k);
    });
    if (unknowns.length) plan.renders.facts.push(noteFacts(file, unknowns));
  }
  return plan;
}

function noteFacts(file: string, unknowns: Problem[]): K8sFacts {
  return { kind: 'kubernetes', file: `${file}#gitops`, renderedFrom: `GitOps declarations of ${file}`, unknowns, workloads: [], services: [], configMaps: [], backends: [], networkPolicies: [], problems: [], suppressions: [] };
}

/**
 * The environment of a declared deployment: the one its format names (a helmfile environment), else the
 * one its declaring file's path marks (`apps/prod/guestbook.yaml`, `guestbook-prod.yaml`), else the first
 * of its name, its destination namespace and its cluster that marks one; else none (an unmarked base).
 */
function envOfDecl(d: Decl, envOf: EnvOf): string | undefined {
  if (d.env) return d.env.name;
  return envOf(d.file.path) ?? d.hints.map((h) => envOf(h)).find((e) => e !== undefined);
}

/** Puts a declaration where its folder says: a chart's release, an overlay's environment, or a note. */
function place(plan: GitopsPlan, ws: Workspace, objects: Objects, d: Decl, envOf: EnvOf, notes: Problem[]): void {
  if (!d.dir) return;
  const dir = d.dir.path;
  const env = envOfDecl(d, envOf);
  const shown = dir || '.';
  if (ws.charts.has(dir) && d.expects !== 'kustomize') {
    const release = releaseOf(plan, ws, objects, d, env, notes);
    const list = plan.charts.get(dir) ?? [];
    if (list.some((r) => r.key === release.key)) release.key += ` #${list.length + 1}`;
    plan.charts.set(dir, [...list, release]);
    return;
  }
  if (ws.kusts.has(dir) && d.expects !== 'chart') {
    if (d.layers.length) notes.push(noteAt(d.ix, d.dir.at, `${d.what}: ${shown} is a kustomization, not a chart: its Helm values are not applied`));
    for (const u of d.unapplied) notes.push(noteAt(d.ix, u.at, `${d.what}: ${u.what} is not applied to the render of ${shown}: what it changes is not checked`));
    const was = plan.overlays.get(dir);
    if (env && was && was !== env) notes.push(noteAt(d.ix, d.dir.at, `${d.what} deploys ${shown} in ${env}, which another declaration deploys in ${was}: it is rendered once, as ${was}`));
    else if (env) plan.overlays.set(dir, env);
    return;
  }
  const why =
    d.expects === 'chart' ? (ws.dirs.has(dir) ? `${shown} has no Chart.yaml: not a chart of the workspace` : `${shown} is not a folder Port Parity reads here (another repository, or left out by .gitignore?)`)
    : d.expects === 'kustomize' && ws.charts.has(dir) ? `${shown} is a chart, which a Flux Kustomization does not render`
    : ws.dirs.has(dir) ? `${shown} holds plain manifests: they are read as they are, in the environment their own paths mark${env ? ` (not ${env})` : ''}`
    : `${shown} is not a folder Port Parity reads here (another repository, or left out by .gitignore?): not checked`;
  notes.push(noteAt(d.ix, d.dir.at, `${d.what}: ${why}`));
}

function releaseOf(plan: GitopsPlan, ws: Workspace, objects: Objects, d: Decl, env: string | undefined, notes: Problem[]): DeclaredRelease {
  const layers: ValuesLayer[] = [];
  const inputs = [d.file.path, d.file.text];
  const files = [d.file];
  const read = (f: SourceFile): void => {
    plan.reads.add(f.path);
    plan.renders.consumed.add(f.path);
    inputs.push(f.path, f.text);
    files.push(f);
  };
  for (const l of d.layers) {
    const got = layerOf(ws, objects, d, l, notes);
    if (!got) continue;
    if (got.read) read(got.read);
    layers.push(got.layer);
  }
  return { env, key: `${env ?? 'base'} (${d.what})`, label: d.what, releaseName: d.releaseName, layers, inputs, files };
}

/** A layer as the workspace has it (with the file it reads), or undefined with a note where it is not there. */
function layerOf(ws: Workspace, objects: Objects, d: Decl, l: LayerSpec, notes: Problem[]): { layer: ValuesLayer; read?: SourceFile } | undefined {
  switch (l.k) {
    case 'inline':
      return { layer: inlineLayer(d.file, l.start, l.end) };
    case 'set':
      return { layer: { path: d.file.path, val: setLayer(d.ix, l.params, notes) } };
    case 'val':
      return { layer: { path: d.file.path, val: l.val } };
    case 'file': {
      const f = ws.files.get(l.path);
      if (!f && !d.ignoreMissing && !l.optional) notes.push(noteAt(d.ix, l.at, `${d.what}: values file ${l.path} is not in the workspace: the release is rendered without it`));
      return f ? { layer: f, read: f } : undefined;
    }
    case 'from':
      return objects.values(d, l, notes);
  }
}

/** The ConfigMaps and Secrets written as manifests in the workspace, found by kind and name when a HelmRelease asks. */
class Objects {
  private byName?: Map<string, { file: SourceFile; ix: LineIndex; obj: Node; namespace?: string }[]>;
  constructor(private readonly ws: Workspace) {}

  private index(): Map<string, { file: SourceFile; ix: LineIndex; obj: Node; namespace?: string }[]> {
    if (this.byName) return this.byName;
    const out = new Map<string, { file: SourceFile; ix: LineIndex; obj: Node; namespace?: string }[]>();
    for (const f of this.ws.files.values()) {
      if (!/\.ya?ml$/i.test(f.path) || !/^kind:\s*["']?(ConfigMap|Secret)\b/m.test(f.text)) continue;
      const ix = new LineIndex(f.path, f.text);
      for (const doc of parseYaml(f.text).docs) {
        const obj = doc.contents as Node | null;
        const kind = str(get(obj, 'kind'));
        const name = str(get(get(obj, 'metadata'), 'name'));
        if (!obj || !name || (kind !== 'ConfigMap' && kind !== 'Secret')) continue;
        const k = `${kind}/${name}`;
        out.set(k, [...(out.get(k) ?? []), { file: f, ix, obj, namespace: str(get(get(obj, 'metadata'), 'namespace')) }]);
      }
    }
    return (this.byName = out);
  }

  /** A valuesFrom entry's values: the key's YAML (or, with targetPath, the key's text at that path). */
  values(d: Decl, l: Extract<LayerSpec, { k: 'from' }>, notes: Problem[]): { layer: ValuesLayer; read?: SourceFile } | undefined {
    const found = this.index().get(`${l.kind}/${l.name}`) ?? [];
    const o = found.find((x) => x.namespace === l.namespace) ?? found.find((x) => x.namespace === undefined) ?? found[0];
    const say = (message: string): undefined => void (l.optional ? undefined : notes.push(noteAt(d.ix, l.at, `${d.what}: ${message}`)));
    if (!o) return say(`${l.kind} ${l.name} is not a manifest of the workspace (generated by a kustomization, or kept elsewhere): the values it gives are not known`);
    const data = get(o.obj, l.kind === 'Secret' ? 'stringData' : 'data');
    const node = get(data, l.key);
    if (!node) {
      const encoded = l.kind === 'Secret' && get(get(o.obj, 'data'), l.key);
      return say(encoded ? `Secret ${l.name} holds ${l.key} encoded (data, not stringData): its values are not read` : `${l.kind} ${l.name} (${o.file.path}) has no ${l.key}: the values it gives are not known`);
    }
    if (l.targetPath !== undefined) return { layer: { path: o.file.path, val: setLayer(o.ix, [{ name: l.targetPath, value: node, forceString: false }], notes) }, read: o.file };
    const content = blockContent(o.file.text, node);
    if (!content) return say(`${l.kind} ${l.name}'s ${l.key} is not written as a literal block (${l.key}: |): its values are not read`);
    return { layer: inlineLayer(o.file, content[0], content[1]), read: o.file };
  }
}

/** A chart's environment run: the values layers over its values.yaml, and the release that declares it, if one does. */
export interface EnvRun {
  env?: string;
  layers: ValuesLayer[];
  release?: DeclaredRelease;
}

/**
 * A chart's runs: its declared releases, and the environments its values files name that no release
 * deploys (a base run only where nothing declares the chart). Two releases of one environment are two
 * runs, kept apart as variants, never merged.
 */
export function withDeclared(inferred: EnvRun[], releases: DeclaredRelease[] | undefined): EnvRun[] {
  if (!releases?.length) return inferred;
  const declared = new Set(releases.map((r) => r.env));
  const kept = inferred.filter((r) => r.env !== undefined && !declared.has(r.env));
  return [...kept, ...releases.map((release) => ({ env: release.env, layers: release.layers, release }))];
}
