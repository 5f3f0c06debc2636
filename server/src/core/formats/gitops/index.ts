// GitOps declarations: Argo CD Applications and ApplicationSets, Flux HelmReleases and Kustomizations, helmfile.yaml. They
// deploy no process of their own: they name the chart or overlay, the values and the environment of each release
// (plan.ts), which the Helm and Kustomize renders take in. The objects themselves are Kubernetes objects the
// Kubernetes reader reads over; only a helmfile, which is no Kubernetes object, is claimed here by name.
import { skipped } from '../skipped';
import type { FormatPlugin } from '../types';
import { isHelmfile } from './helmfile';

export const format: FormatPlugin = {
  id: 'gitops',
  title: 'GitOps declarations (Argo CD, Flux, helmfile)',
  reads: [{ kind: 'yaml', files: ['helmfile.yaml', 'helmfile.yml', 'helmfile.yaml.gotmpl'], activates: false }],
  units: 'file',
  extract(file) {
    return isHelmfile(file.path) ? skipped(file, 'helmfile: its releases are rendered with their charts') : undefined;
  },
};
