// PLACEHOLDER: being written; Helm charts rendered per environment from their values files.
import type { SourceFile } from '../types';
import type { EnvOf, Renders } from './render';

export function helmRenders(files: SourceFile[], envOf: EnvOf): Renders {
  void files;
  void envOf;
  return { facts: [], consumed: new Set() };
}
