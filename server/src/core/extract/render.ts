// What a renderer (Helm charts, Kustomize overlays) gives back to the engine, and what it keeps between runs.
import type { K8sFacts } from '../types';
import type { KustRead } from '../formats/kustomize/kustomize';

export interface Renders {
  /** One K8sFacts per chart or kustomization and environment, with `env` and `renderedFrom` set. */
  facts: K8sFacts[];
  /** Files a render took in (templates, base resources, patches): their own facts are dropped. */
  consumed: Set<string>;
}

/** The environment a path names, as the engine infers it (config globs first). */
export type EnvOf = (path: string) => string | undefined;

/**
 * The renders a store keeps (store/store.ts), so that an edit renders again only the charts and
 * overlays that read the edited file. A render kept gives back the same facts objects, which is how
 * incremental evaluation sees that nothing changed there. A one-off run (the CLI) starts from an empty
 * store: it renders each chart and overlay once.
 */
export interface RenderMemo {
  /** What each kustomization says (its parse and references), by path, with the text it was read from. */
  kusts: Map<string, { text: string; read: KustRead }>;
  /**
   * Each Kustomize render by folder and environment, with everything it looked up: a kustomization's
   * text (`k`), a file's text (`f`, undefined when absent), whether a folder holds files (`u`).
   */
  kustRenders: Map<string, KeptKustRender>;
  /** Each chart's renders, by folder, with the inputs they came from (compared element by element). */
  charts: Map<string, { inputs: unknown[]; facts: K8sFacts[] }>;
  /** The environments rendered so far of a chart whose render was left between two steps (helmRenderSteps). */
  chartsUnderWay: Map<string, { inputs: unknown[]; facts: K8sFacts[] }>;
  /** What each Chart.yaml says (helm.ts's chartMeta), by path, with the text it was read from. */
  chartYaml: Map<string, { text: string; meta: unknown }>;
}

/** A Kustomize render kept with what it looked up and the files it consumed. */
export interface KeptKustRender {
  reads: Map<string, string | boolean | undefined>;
  facts: K8sFacts;
  consumed: string[];
}

export function renderMemo(): RenderMemo {
  return { kusts: new Map(), kustRenders: new Map(), charts: new Map(), chartsUnderWay: new Map(), chartYaml: new Map() };
}

/** Two input lists with the same elements (strings compared by value, anything else by identity). */
export function sameInputs(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
