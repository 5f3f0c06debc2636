// Kustomize overlays: a kustomization is read by rendering it once per environment (kustomize.ts beside this file),
// never alone; its resources and patches are read through that render.
import { skipped } from '../skipped';
import type { FormatPlugin } from '../types';

export const format: FormatPlugin = {
  id: 'kustomize',
  title: 'Kustomization',
  reads: [{ kind: 'yaml', files: ['kustomization.yaml', 'kustomization.yml', 'Kustomization'], activates: true }],
  languages: ['yaml'],
  units: 'overlay × environment',
  extract: (file) => (/^kustomization(\.ya?ml)?$/i.test(file.path.slice(file.path.lastIndexOf('/') + 1)) ? skipped(file, 'kustomization') : undefined),
};
