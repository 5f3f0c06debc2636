// Argo CD: an Application's sources (a folder of this repository with its Helm or Kustomize options), and an ApplicationSet's template for each element its generators give.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { LineIndex } from '../../text';
import type { Problem, SourceFile } from '../../types';
import { get, items, pairs, parseYaml, path, str } from '../../yaml';
import { blockContent } from './layers';
import type { SetParam } from './layers';
import { noteAt, repoPath } from './decl';
import type { Decl, LayerSpec, Workspace } from './decl';

/** What a template placeholder becomes for one element; undefined where it names no parameter (then the placeholder is unknown). */
type Sub = (s: string | undefined) => string | undefined;

const same: Sub = (s) => s;

interface At {
  ws: Workspace;
  file: SourceFile;
  ix: LineIndex;
  notes: Problem[];
}

/** The deployments an Application or ApplicationSet declares; what cannot be followed is a note in `notes`. */
export function argoDecls(ws: Workspace, file: SourceFile, ix: LineIndex, obj: Node, notes: Problem[]): Decl[] {
  const at: At = { ws, file, ix, notes };
  const kind = str(get(obj, 'kind'));
  const meta = get(obj, 'metadata');
  const nameNode = get(meta, 'name') ?? obj;
  const name = str(get(meta, 'name')) ?? '';
  if (kind === 'Application') return appDecls(at, get(obj, 'spec'), name, nameNode, same, `Argo CD Application ${name}`);
  const spec = get(obj, 'spec');
  const template = get(spec, 'template');
  const out: Decl[] = [];
  for (const g of items(get(spec, 'generators'))) {
    const elements = generated(at, g);
    if (!elements) continue;
    elements.forEach((params, i) => {
      const sub = substitute(params);
      const appName = sub(str(path(template, 'metadata', 'name'))) ?? `${name}[${i}]`;
      out.push(...appDecls(at, get(template, 'spec'), appName, nameNode, sub, `Argo CD ApplicationSet ${name} (application ${appName})`));
    });
  }
  return out;
}

/** The parameters of each element a generator makes, or undefined (with a note) where they are not in the repository. */
function generated(at: At, g: Node): Record<string, string>[] | undefined {
  const list = get(g, 'list');
  if (list) {
    if (get(list, 'elementsYaml')) {
      at.notes.push(noteAt(at.ix, get(list, 'elementsYaml'), 'ApplicationSet list generator elementsYaml is not read: the environments it makes are not known'));
      return undefined;
    }
    return items(get(list, 'elements')).map((e) => flatten(e));
  }
  const git = get(g, 'git');
  if (git && get(git, 'directories')) return gitDirectories(at, git);
  if (git && get(git, 'files')) return gitFiles(at, git);
  const kind = pairs(g)[0];
  at.notes.push(noteAt(at.ix, kind?.key ?? g, `ApplicationSet ${kind ? String(kind.key.value) : ''} generator: its elements are not in the repository, so the environments it makes are not known and not checked`));
  return undefined;
}

/** The parameters of a git directory: `path`, `path.basename`, `path.basenameNormalized`, `path[n]`. */
function dirParams(dir: string): Record<string, string> {
  const base = posix.basename(dir);
  const out: Record<string, string> = { path: dir, 'path.path': dir, 'path.basename': base, 'path.basenameNormalized': base.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase() };
  dir.split('/').forEach((seg, i) => (out[`path[${i}]`] = seg));
  return out;
}

function gitDirectories(at: At, git: Node): Record<string, string>[] {
  const want: ((d: string) => boolean)[] = [];
  const not: ((d: string) => boolean)[] = [];
  for (const d of items(get(git, 'directories'))) {
    const glob = str(get(d, 'path'));
    if (glob) (str(get(d, 'exclude')) === 'true' ? not : want).push(picomatch(glob.replace(/^\.\//, ''), { dot: false }));
  }
  const dirs = [...at.ws.dirs].filter((d) => d !== '' && want.some((m) => m(d)) && !not.some((m) => m(d))).sort();
  return dirs.map(dirParams);
}

function gitFiles(at: At, git: Node): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const f of items(get(git, 'files'))) {
    const glob = str(get(f, 'path'));
    if (!glob) continue;
    const m = picomatch(glob.replace(/^\.\//, ''));
    const hits = [...at.ws.files.values()].filter((x) => m(x.path)).sort((a, b) => a.path.localeCompare(b.path));
    if (hits.length === 0) at.notes.push(noteAt(at.ix, get(f, 'path'), `ApplicationSet git files generator: no file of the workspace matches ${glob} (only YAML and .env files are read), so the environments it makes are not known`));
    for (const h of hits) {
      const doc = parseYaml(h.text).docs[0]?.contents as Node | undefined;
      const name = posix.basename(h.path);
      out.push({ ...flatten(doc), ...dirParams(posix.dirname(h.path)), 'path.filename': name, 'path.filenameNormalized': name.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase() });
    }
  }
  return out;
}

/** A map's scalars by dotted key (`cluster.name`), as ApplicationSet parameters are named. */
function flatten(n: Node | undefined, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const p of pairs(n)) {
    const k = `${prefix}${String(p.key.value)}`;
    if (isMap(p.value)) flatten(p.value, `${k}.`, out);
    else if (isScalar(p.value) && p.value.value !== null) out[k] = String(p.value.value);
  }
  return out;
}

/** `{{path.basename}}` (fasttemplate) or `{{ .path.basename }}` (goTemplate) replaced by the element's parameter. */
function substitute(params: Record<string, string>): Sub {
  return (s) => {
    if (s === undefined) return undefined;
    let unknown = false;
    const r = s.replace(/\{\{-?\s*\.?([\w.[\]-]+)\s*-?\}\}/g, (all, key: string) => {
      const v = params[key];
      if (v === undefined) unknown = true;
      return v ?? all;
    });
    return unknown || r.includes('{{') ? undefined : r;
  };
}

/** One Application's deployments: each source with a path in this repository. */
function appDecls(at: At, spec: Node | undefined, name: string, nameNode: Node, sub: Sub, what: string): Decl[] {
  const sources = items(get(spec, 'sources'));
  const list = sources.length ? sources : [get(spec, 'source')].filter((s): s is Node => !!s);
  // `ref:` sources name this repository for `$ref/...` values files.
  const refs = new Set(list.map((s) => str(get(s, 'ref'))).filter((r): r is string => !!r));
  const dest = get(spec, 'destination');
  const hints = [name, sub(str(get(dest, 'namespace'))), sub(str(get(dest, 'name')))].filter((h): h is string => !!h);
  const out: Decl[] = [];
  for (const src of list) {
    const chart = str(get(src, 'chart'));
    if (chart !== undefined) {
      at.notes.push(noteAt(at.ix, get(src, 'chart'), `${what} deploys chart ${chart} of ${str(get(src, 'repoURL')) ?? 'a Helm repository'}: the chart is not in the workspace, its ports are not checked`));
      continue;
    }
    const pathNode = get(src, 'path');
    if (!pathNode) continue;
    const p = sub(str(pathNode));
    const dir = p === undefined ? undefined : repoPath('', p);
    if (dir === undefined) {
      at.notes.push(noteAt(at.ix, pathNode, `${what}: path ${str(pathNode) ?? ''} ${p === undefined ? 'has a placeholder no generator parameter fills' : 'is not a folder of this repository'}: not checked`));
      continue;
    }
    if (get(src, 'plugin')) at.notes.push(noteAt(at.ix, get(src, 'plugin'), `${what}: a config management plugin renders ${dir || '.'}: what it renders is not known, read as it stands`));
    const helm = get(src, 'helm');
    out.push({
      what, file: at.file, ix: at.ix, at: nameNode, dir: { path: dir, at: pathNode }, hints,
      releaseName: sub(str(get(helm, 'releaseName'))),
      layers: helmLayers(at, helm, dir, refs, sub, what),
      ignoreMissing: str(get(helm, 'ignoreMissingValueFiles')) === 'true',
      unapplied: pairs(get(src, 'kustomize')).map((k) => ({ what: `kustomize.${String(k.key.value)}`, at: k.key })),
      expects: 'any',
    });
  }
  return out;
}

/** A source's Helm values in Argo CD's order: valueFiles, then values (or valuesObject, which wins), then parameters. */
function helmLayers(at: At, helm: Node | undefined, dir: string, refs: Set<string>, sub: Sub, what: string): LayerSpec[] {
  const layers: LayerSpec[] = [];
  for (const vf of items(get(helm, 'valueFiles'))) {
    const raw = str(vf) ?? '';
    const v = sub(raw);
    const ref = v === undefined ? undefined : /^\$([^/]+)\/(.*)$/.exec(v);
    const p = v === undefined ? undefined : ref ? (refs.has(ref[1]) ? repoPath('', ref[2]) : undefined) : repoPath(dir, v);
    if (p === undefined) {
      const why = v === undefined ? 'has a placeholder no generator parameter fills' : ref ? `names $${ref[1]}, which no source of the application is a ref of` : 'is not a file of this repository';
      at.notes.push(noteAt(at.ix, vf, `${what}: values file ${raw} ${why}: the release is rendered without it`));
      continue;
    }
    layers.push({ k: 'file', path: p, at: vf, optional: false });
  }
  const values = get(helm, 'values');
  const object = get(helm, 'valuesObject');
  if (isMap(object)) {
    if (object.range) layers.push({ k: 'inline', start: object.range[0], end: object.range[1] });
    if (values) at.notes.push(noteAt(at.ix, values, `${what}: helm.values is set beside helm.valuesObject, which Argo CD uses instead: not read`));
  } else if (values && isScalar(values) && str(values)?.trim()) {
    const content = blockContent(at.file.text, values);
    if (content) layers.push({ k: 'inline', start: content[0], end: content[1] });
    else at.notes.push(noteAt(at.ix, values, `${what}: helm.values is not written as a literal block (values: |): its values are not read`));
  }
  const params: SetParam[] = items(get(helm, 'parameters')).flatMap((x) => {
    const name = str(get(x, 'name'));
    return name ? [{ name, value: get(x, 'value'), forceString: str(get(x, 'forceString')) === 'true' }] : [];
  });
  if (params.length) layers.push({ k: 'set', params });
  for (const k of ['fileParameters', 'valuesFiles']) if (get(helm, k)) at.notes.push(noteAt(at.ix, get(helm, k), `${what}: helm.${k} is not read`));
  if (sub !== same) for (const n of [values, object].filter((x): x is Node => !!x && JSON.stringify(x.toJSON()).includes('{{'))) at.notes.push(noteAt(at.ix, n, `${what}: the inline values hold template placeholders, read as written (not substituted)`));
  return layers;
}
