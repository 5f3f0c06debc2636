// What a GitOps file declares about one deployment (an Argo CD source, a Flux HelmRelease or Kustomization, a helmfile release), before the workspace is asked.
import { posix } from 'node:path';
import type { Node } from 'yaml';
import type { LineIndex } from '../../text';
import type { Problem, SourceFile } from '../../types';
import type { Val } from '../helm/helm-values';
import type { SetParam } from './layers';

/** A values layer as written: a file (by workspace path), inline values (a range of the declaring file), `--set` parameters, a ConfigMap or Secret. */
export type LayerSpec =
  | { k: 'file'; path: string; at: Node; optional: boolean }
  | { k: 'inline'; start: number; end: number }
  | { k: 'set'; params: SetParam[] }
  | { k: 'val'; val: Val }
  | { k: 'from'; kind: string; name: string; namespace: string; key: string; targetPath?: string; optional: boolean; at: Node };

export interface Decl {
  /** What declares it, as messages name it: `Argo CD Application guestbook-prod`. */
  what: string;
  file: SourceFile;
  ix: LineIndex;
  /** The node notes about the whole declaration point at (its name). */
  at: Node;
  /** The workspace folder it deploys (a chart, a kustomization, manifests), with the node that names it. */
  dir?: { path: string; at: Node };
  /** Set where the format names the environment itself (a helmfile environment, `default` the unmarked base); else the plan decides. */
  env?: { name?: string };
  /** Names that may mark the environment, after the declaring file's path: its name, its namespace, its cluster. */
  hints: string[];
  /** An explicit release name (`.Release.Name`); else the chart's name, as for an undeclared chart. */
  releaseName?: string;
  layers: LayerSpec[];
  /** Argo CD's ignoreMissingValueFiles: a values file that is not there is left out without a note. */
  ignoreMissing?: boolean;
  /** Kustomize options the declaration sets that the overlay's render does not apply, with where they are written. */
  unapplied: { what: string; at: Node }[];
  /** What it expects at `dir`: a chart (a HelmRelease), a kustomization (a Flux Kustomization), or whatever is there (Argo CD). */
  expects: 'chart' | 'kustomize' | 'any';
}

/** What the declaration parsers may ask of the workspace. */
export interface Workspace {
  files: Map<string, SourceFile>;
  /** Every folder holding a file, the root as ''. */
  dirs: Set<string>;
  charts: Set<string>;
  kusts: Set<string>;
}

export function workspaceOf(files: SourceFile[]): Workspace {
  const ws: Workspace = { files: new Map(), dirs: new Set(), charts: new Set(), kusts: new Set() };
  for (const f of files) {
    ws.files.set(f.path, f);
    const base = posix.basename(f.path);
    let d = dirOf(f.path);
    if (/^Chart\.ya?ml$/.test(base)) ws.charts.add(d);
    if (/^(kustomization\.ya?ml|Kustomization)$/.test(base)) ws.kusts.add(d);
    for (;;) {
      if (ws.dirs.has(d)) break;
      ws.dirs.add(d);
      if (d === '') break;
      d = dirOf(d);
    }
  }
  return ws;
}

function dirOf(p: string): string {
  const d = posix.dirname(p);
  return d === '.' ? '' : d;
}

/** A path in the repository (`./charts/api/`, `charts/api`, `.`) as a workspace path; undefined when it leaves it. */
export function repoPath(from: string, p: string): string | undefined {
  if (/^[a-z][\w+.-]*:\/\//i.test(p) || p.startsWith('/')) return undefined;
  const n = posix.normalize(posix.join(from || '.', p)).replace(/\/+$/, '');
  if (n === '..' || n.startsWith('../')) return undefined;
  return n === '.' ? '' : n;
}

/** A note at a node of the declaring file. */
export function noteAt(ix: LineIndex, at: Node | undefined, message: string): Problem {
  const r = at?.range ?? [0, 0];
  return { message, loc: ix.loc(r[0], r[1]) };
}
