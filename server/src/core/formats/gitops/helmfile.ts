// helmfile: each release of a chart in this repository, once per environment, with `{{ .Environment.Name }}` and `{{ .Values.x }}` in its strings evaluated for that environment.
import { posix } from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import { LineIndex } from '../../text';
import type { Problem, SourceFile } from '../../types';
import { get, items, pairs, parseYaml, str } from '../../yaml';
import type { EnvOf } from '../../extract/render';
import { noteAt, repoPath } from './decl';
import type { Decl, LayerSpec, Workspace } from './decl';

export function isHelmfile(path: string): boolean {
  return /^helmfile\.ya?ml(\.gotmpl)?$/.test(posix.basename(path)) || /(^|\/)helmfile\.d\/[^/]+\.ya?ml(\.gotmpl)?$/.test(path);
}

interface Env {
  name: string;
  /** `.Values` for the environment: its values files and inline maps merged. */
  values: Record<string, unknown>;
}

/** The releases of a helmfile for each of its environments; what cannot be followed is a note in `notes`. */
export function helmfileDecls(ws: Workspace, file: SourceFile, envOf: EnvOf, notes: Problem[]): Decl[] {
  const ix = new LineIndex(file.path, file.text);
  const { docs, errors } = parseYaml(file.text);
  if (errors.length) {
    notes.push({ message: `${file.path} is not YAML as it stands (${errors[0].message.split('\n')[0]}; template blocks such as {{ if }} are not evaluated): its releases are not checked`, loc: ix.loc(errors[0].offset, errors[0].offset) });
    return [];
  }
  const dir = posix.dirname(file.path) === '.' ? '' : posix.dirname(file.path);
  const roots = docs.map((d) => d.contents as Node | null).filter((r): r is Node => isMap(r));
  const envs: Env[] = [];
  for (const root of roots) for (const e of pairs(get(root, 'environments'))) envs.push({ name: String(e.key.value), values: envValues(ws, dir, ix, e.value, notes) });
  if (envs.length === 0) envs.push({ name: 'default', values: {} });
  for (const root of roots) for (const k of ['bases', 'helmfiles']) if (get(root, k)) notes.push(noteAt(ix, get(root, k), `${file.path}: ${k} are not followed, their releases are not checked`));
  const out: Decl[] = [];
  const releases = roots.flatMap((r) => items(get(r, 'releases')));
  for (const env of envs) {
    const named = env.name === 'default' ? undefined : (envOf(env.name) ?? env.name.toLowerCase());
    for (const r of releases) {
      const d = releaseDecl(file, ix, dir, r, env, named, notes);
      if (d) out.push(d);
    }
  }
  return out;
}

/** An environment's `.Values`: its values files (relative to the helmfile) and inline maps, merged in order. */
function envValues(ws: Workspace, dir: string, ix: LineIndex, e: Node | undefined, notes: Problem[]): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const v of items(get(e, 'values'))) {
    if (isMap(v)) out = deepMerge(out, v.toJSON() as Record<string, unknown>);
    else if (isScalar(v)) {
      const p = repoPath(dir, str(v) ?? '');
      const f = p === undefined ? undefined : ws.files.get(p);
      if (!f || /\.gotmpl$/.test(f.path)) {
        notes.push(noteAt(ix, v, `environment values ${str(v) ?? ''} ${f ? 'is a template, not evaluated' : 'is not a file of the workspace'}: what its values set is not known`));
        continue;
      }
      const data = parseYaml(f.text).docs[0]?.toJSON() as unknown;
      if (data && typeof data === 'object') out = deepMerge(out, data as Record<string, unknown>);
    }
  }
  return out;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const x = out[k];
    out[k] = x && v && typeof x === 'object' && typeof v === 'object' && !Array.isArray(x) && !Array.isArray(v) ? deepMerge(x as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** `{{ .Environment.Name }}`, `{{ .Values.a.b }}` (`.StateValues`), `{{ .Release.Name }}` in a string; undefined where another template remains. */
function evaluate(s: string, env: Env, release: string | undefined): string | undefined {
  let unknown = false;
  const out = s.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (all, expr: string) => {
    let v: unknown;
    if (expr === '.Environment.Name') v = env.name;
    else if (expr === '.Release.Name' && release !== undefined) v = release;
    else {
      const m = /^\.(?:State)?Values\.([\w.-]+)$/.exec(expr);
      v = m ? m[1].split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), env.values) : undefined;
    }
    if (v === undefined || v === null || typeof v === 'object') {
      unknown = true;
      return all;
    }
    return String(v);
  });
  return unknown ? undefined : out;
}

function releaseDecl(file: SourceFile, ix: LineIndex, dir: string, r: Node, env: Env, named: string | undefined, notes: Problem[]): Decl | undefined {
  const nameNode = get(r, 'name') ?? r;
  const name = evaluate(str(get(r, 'name')) ?? '', env, undefined);
  const what = `helmfile release ${name ?? str(get(r, 'name')) ?? ''} (environment ${env.name})`;
  const say = (at: Node | undefined, message: string): undefined => void notes.push(noteAt(ix, at ?? nameNode, `${what}: ${message}`));
  if (name === undefined) return say(nameNode, 'its name holds a template that cannot be evaluated here: not checked');
  const installed = get(r, 'installed');
  if (installed && str(installed) === 'false') return undefined;
  if (installed && str(installed) !== 'true') return say(installed, `installed: ${str(installed) ?? ''} cannot be evaluated here: not checked`);
  const chartNode = get(r, 'chart');
  const chart = evaluate(str(chartNode) ?? '', env, name);
  if (chart === undefined) return say(chartNode, 'its chart holds a template that cannot be evaluated here: not checked');
  if (!/^\.{0,2}\//.test(chart)) return say(chartNode, `chart ${chart} is from a chart repository: not in the workspace, its ports are not checked`);
  const chartDir = repoPath(dir, chart);
  if (chartDir === undefined) return say(chartNode, `chart ${chart} is not a folder of this repository: not checked`);
  const layers: LayerSpec[] = [];
  for (const v of items(get(r, 'values'))) {
    if (isMap(v) && v.range) layers.push({ k: 'inline', start: v.range[0], end: v.range[1] });
    else if (isScalar(v)) {
      const p = evaluate(str(v) ?? '', env, name);
      const at = p === undefined ? undefined : repoPath(dir, p);
      if (at === undefined || /\.gotmpl$/.test(at)) say(v, `values ${str(v) ?? ''} ${p === undefined ? 'holds a template that cannot be evaluated here' : at === undefined ? 'is not a file of this repository' : 'is a template, not evaluated'}: the release is rendered without it`);
      else layers.push({ k: 'file', path: at, at: v, optional: false });
    }
  }
  const set = items(get(r, 'set')).flatMap((x) => {
    const n = str(get(x, 'name'));
    return n ? [{ name: n, value: get(x, 'value'), forceString: false }] : [];
  });
  if (set.length) layers.push({ k: 'set', params: set });
  if (get(r, 'secrets')) say(get(r, 'secrets'), 'secrets are not read (encrypted): what they set is not known');
  return { what, file, ix, at: nameNode, dir: { path: chartDir, at: chartNode as Node }, env: { name: named }, hints: [], releaseName: name, layers, unapplied: [], expects: 'chart' };
}
