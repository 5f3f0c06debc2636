// PLACEHOLDER: being written; Kustomize overlays rendered per environment.
import type { SourceFile } from '../types';
import type { EnvOf, Renders } from './render';

export function kustomizeRenders(files: SourceFile[], envOf: EnvOf): Renders {
  void files;
  void envOf;
  return { facts: [], consumed: new Set() };
}
