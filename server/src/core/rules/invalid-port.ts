// invalid-port: a port that is not an integer 1-65535, empty, malformed or a bad port name (an unset EXPOSE variable is expose-unset-variable's).
import type { RawFinding } from '../types';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'invalid-port',
    description: 'A port that is not an integer in 1-65535, a missing containerPort, a malformed mapping, or an invalid port name.',
    defaultSeverity: 'error',
    fixable: false,
    movesPorts: false,
    alignable: false,
    messages: {
      // A format's reader words what it could not read (it knows the field and the value).
      readerProblem: '{{message}}',
    },
  },
  check(model) {
    const findings: RawFinding[] = [];
    for (const f of model.facts.values()) for (const p of f.problems) findings.push({ rule: 'invalid-port', messageId: 'readerProblem', data: { message: p.message }, loc: p.loc, related: [] });
    return findings;
  },
});
