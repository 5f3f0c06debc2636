// skipped-source: a part of a chart or kustomization that Port Parity cannot follow, or a file that looks like
// deployment configuration but is not read (unread.ts decides which), so its ports go unchecked.
import type { RawFinding } from '../types';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'skipped-source',
    description: 'A remote Kustomize resource, a Helm template value, or a file that looks like deployment configuration, that Port Parity cannot follow or read: its ports are not checked (never guessed).',
    defaultSeverity: 'info',
    fixable: false,
    movesPorts: false,
    alignable: false,
    messages: {
      // The reader that stopped words what it left unread, and why.
      notFollowed: '{{message}}',
    },
  },
  check(model) {
    // Renders and manifests; any file where a bound or an alias left a part unread; files found and not read.
    const findings: RawFinding[] = [];
    for (const f of model.facts.values()) {
      const env = f.kind === 'kubernetes' ? f.env : undefined;
      for (const p of f.unknowns ?? []) findings.push({ rule: 'skipped-source', messageId: 'notFollowed', data: { message: p.message }, loc: p.loc, environment: env, related: [] });
    }
    return findings;
  },
});
