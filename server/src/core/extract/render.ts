// What a renderer (Helm charts, Kustomize overlays) gives back to the engine.
import type { K8sFacts } from '../types';

export interface Renders {
  /** One K8sFacts per chart or kustomization and environment, with `env` and `renderedFrom` set. */
  facts: K8sFacts[];
  /** Files a render took in (templates, base resources, patches): their own facts are dropped. */
  consumed: Set<string>;
}

/** The environment a path names, as the engine infers it (config globs first). */
export type EnvOf = (path: string) => string | undefined;
