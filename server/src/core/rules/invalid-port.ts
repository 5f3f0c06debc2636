// invalid-port: a port that is not an integer 1-65535, empty, malformed, an unresolved EXPOSE variable or a bad port name.
import type { RawFinding } from '../types';
import { imageOf } from '../formats/dockerfile/join';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'invalid-port',
    description: 'A port that is not an integer in 1-65535, a missing containerPort, a malformed mapping, an EXPOSE variable that resolves to nothing, or an invalid port name.',
    defaultSeverity: 'error',
    fixable: false,
    movesPorts: false,
    alignable: false,
    messages: {
      // A format's reader words what it could not read (it knows the field and the value).
      readerProblem: '{{message}}',
      unsetExposeVariable: 'EXPOSE {{raw}}: {{variable}} is not set by an ARG or ENV before it in this stage, so nothing is exposed',
    },
  },
  check(model) {
    const findings: RawFinding[] = [];
    const buildArgs = new Map<string, Set<string>>();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const image = imageOf(v);
        if (image) for (const k of Object.keys(image.buildArgs)) buildArgs.set(image.file, (buildArgs.get(image.file) ?? new Set()).add(k));
      }
    }
    for (const f of model.facts.values()) {
      for (const p of f.problems) findings.push({ rule: 'invalid-port', messageId: 'readerProblem', data: { message: p.message }, loc: p.loc, related: [] });
      if (f.kind !== 'dockerfile') continue;
      for (const e of f.exposes) {
        // A compose build arg may supply what the Dockerfile leaves open.
        if (e.port !== undefined || !e.variable || buildArgs.get(f.file)?.has(e.variable)) continue;
        findings.push({ rule: 'invalid-port', messageId: 'unsetExposeVariable', data: { raw: e.raw, variable: e.variable }, loc: e.loc, related: [] });
      }
    }
    return findings;
  },
});
