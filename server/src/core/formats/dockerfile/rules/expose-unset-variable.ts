// expose-unset-variable: an `EXPOSE $VAR` whose variable nothing sets, so the line exposes nothing; one finding per variable per Dockerfile.
import type { DockerExpose, DockerfileFacts, RawFinding } from '../../../types';
import { imageOf } from '../join';
import { defineRule } from '../../../rules/types';

/** Every EXPOSE of every stage once (a stage built on another repeats its parent's). */
function allExposes(f: DockerfileFacts): DockerExpose[] {
  const seen = new Set<number>();
  const out: DockerExpose[] = [];
  for (const e of [...f.stages.flatMap((s) => s.exposes), ...f.exposes]) {
    if (seen.has(e.loc.start)) continue;
    seen.add(e.loc.start);
    out.push(e);
  }
  return out.sort((a, b) => a.loc.start - b.loc.start);
}

/** Why the variable has no value: declared before FROM only, or declared nowhere (and what a build's arg does then). */
function why(name: string, scope: 'stage' | 'global' | undefined, passed: boolean): string {
  const build = passed ? ` (a build arg ${name} does not reach a stage without its own \`ARG ${name}\`)` : '';
  if (scope === 'global') return `${name} is an ARG before FROM, which a stage sees only after its own \`ARG ${name}\`${build}`;
  return `no ARG or ENV of its stage sets ${name}${build}`;
}

export const rule = defineRule({
  meta: {
    id: 'expose-unset-variable',
    description: 'An EXPOSE $VAR whose variable no ARG, ENV or build arg of its stage sets, so it exposes nothing (reported once per variable and Dockerfile).',
    defaultSeverity: 'warning',
    fixable: false,
    movesPorts: false,
    alignable: false,
    messages: {
      unsetVariable: 'EXPOSE {{raw}}: {{why}}, so nothing is exposed{{more}}',
    },
  },
  check(model) {
    const findings: RawFinding[] = [];
    // The build args each Dockerfile is built with (compose build.args, a platform's build args).
    const buildArgs = new Map<string, Set<string>>();
    // The service whose image a Dockerfile is: the finding is that service's, so that the language server
    // judges it again when the service's build args change in another file (compose.yaml), not only the Dockerfile.
    const owner = new Map<string, string>();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const image = imageOf(v);
        if (image && !owner.has(image.file)) owner.set(image.file, s.name);
        if (image) for (const k of Object.keys(image.buildArgs)) buildArgs.set(image.file, (buildArgs.get(image.file) ?? new Set()).add(k));
      }
    }
    for (const f of model.facts.values()) {
      if (f.kind !== 'dockerfile') continue;
      const byVar = new Map<string, DockerExpose[]>();
      // An ARG of the stage without a value is a build parameter: the build supplies it (--build-arg,
      // compose build.args, a platform's build args), which the workspace may not show.
      for (const e of allExposes(f)) if (e.port === undefined && e.variable !== undefined && e.argScope !== 'stage') byVar.set(e.variable, [...(byVar.get(e.variable) ?? []), e]);
      for (const [name, uses] of byVar) {
        const [first, ...rest] = uses;
        const more = rest.length ? ` (${uses.length} uses in this Dockerfile)` : '';
        findings.push({
          rule: 'expose-unset-variable',
          messageId: 'unsetVariable',
          data: { raw: first.raw, why: why(name, first.argScope, !!buildArgs.get(f.file)?.has(name)), more },
          loc: first.loc,
          ...(owner.has(f.file) ? { service: owner.get(f.file) } : {}),
          related: rest.map((e) => ({ loc: e.loc, message: `EXPOSE ${e.raw}: ${name} is not set here either` })),
        });
      }
    }
    return findings;
  },
});
