// skipped-source: a part of a chart or kustomization that Port Parity cannot follow, so its ports go unchecked.
import type { RawFinding } from '../types';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'skipped-source',
  description: 'A remote Kustomize resource or a Helm template value that Port Parity cannot follow: its ports are not checked (never guessed).',
  defaultSeverity: 'info',
  fixable: false,
  check(model) {
    const findings: RawFinding[] = [];
    for (const f of model.facts.values()) {
      if (f.kind !== 'kubernetes') continue;
      for (const u of f.unknowns ?? []) findings.push({ rule: 'skipped-source', message: u.message, loc: u.loc, environment: f.env, related: [] });
    }
    return findings;
  },
};
