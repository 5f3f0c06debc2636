// skipped-source: a part of a chart or kustomization that Port Parity cannot follow, so its ports go unchecked.
import { fromK8sFacts } from './types';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'skipped-source',
  description: 'A remote Kustomize resource or a Helm template value that Port Parity cannot follow: its ports are not checked (never guessed).',
  defaultSeverity: 'info',
  fixable: false,
  check(model) {
    return fromK8sFacts(model, 'skipped-source', (f) => f.unknowns);
  },
};
