// Kubernetes manifests: any YAML file with a document that has `apiVersion` and `kind` (workloads,
// Services, ConfigMaps, Ingresses and routes, NetworkPolicies). Chart and overlay renders are read by
// the same extractor.
import { extractKubernetes, isKubernetesDoc } from './read';
import type { FormatPlugin } from '../types';
import { rule as serviceTargetPort } from './rules/service-target-port';
import { rule as danglingIngress } from './rules/dangling-ingress';
import { rule as danglingNetworkpolicy } from './rules/dangling-networkpolicy';
import { rule as ingressBackendPort } from './rules/ingress-backend-port';
import { rule as networkpolicyPort } from './rules/networkpolicy-port';
import { kubernetesJoin } from './join';
import { lowerKubernetes, kubernetesPorts, explainKubernetes, kubernetesDeclares } from './lower';

export const format: FormatPlugin = {
  id: 'kubernetes',
  title: 'Kubernetes manifest',
  // A YAML file's name does not say it is a manifest (a GitHub workflow, an OpenAPI spec are YAML too):
  // a workspace activates the extension by its YAML only under the folders manifests are kept in; a
  // YAML file opened anywhere activates it too (onLanguage:yaml), and the server reads it by content.
  reads: [{ kind: 'yaml', files: ['*.yaml', '*.yml'], activates: { under: ['k8s', 'kube', 'kubernetes', 'manifests', 'deploy', 'deployment', 'deployments', 'openshift'] } }],
  languages: ['yaml'],
  lower: lowerKubernetes,
  ports: kubernetesPorts,
  declares: kubernetesDeclares,
  explain: explainKubernetes,
  join: kubernetesJoin,
  units: 'file',
  rules: [serviceTargetPort, ingressBackendPort, networkpolicyPort, danglingIngress, danglingNetworkpolicy],
  extract(file, ctx) {
    const { docs } = ctx.yaml();
    return docs.some(isKubernetesDoc) ? extractKubernetes(file, docs) : undefined;
  },
};
