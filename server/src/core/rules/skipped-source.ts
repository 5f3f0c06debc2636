// skipped-source: a part of a chart or kustomization that Port Parity cannot follow, so its ports go unchecked.
import { composeNotes } from '../formats/compose/join';
import type { RawFinding } from '../types';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'skipped-source',
    description: 'A remote Kustomize resource or a Helm template value that Port Parity cannot follow: its ports are not checked (never guessed).',
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
    // Renders and manifests; and any file where a bound or an alias left a part unread.
    const findings: RawFinding[] = [];
    for (const f of model.facts.values()) {
      const env = f.kind === 'kubernetes' ? f.env : undefined;
      for (const p of f.unknowns ?? []) findings.push({ rule: 'skipped-source', messageId: 'notFollowed', data: { message: p.message }, loc: p.loc, environment: env, related: [] });
    }
    // What the Compose join could not follow across files (an `extends` cycle, an include not read).
    for (const p of composeNotes(model)) findings.push({ rule: 'skipped-source', messageId: 'notFollowed', data: { message: p.message }, loc: p.loc, related: [] });
    return findings;
  },
});
