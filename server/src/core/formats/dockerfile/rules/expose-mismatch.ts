// expose-mismatch: the Dockerfile's EXPOSE differs from the container port the orchestrator declares.
import { list, where } from '../../../query';
import { exposeTarget, imagesOf } from './target';
import type { Fix, RawFinding } from '../../../types';
import { defineRule } from '../../../rules/types';

export const rule = defineRule({
  meta: {
    id: 'expose-mismatch',
    description: "The Dockerfile's EXPOSE differs from the container port that Compose or Kubernetes declares for the same service.",
    defaultSeverity: 'warning',
    fixable: true,
    movesPorts: false,
    alignable: true,
    messages: {
      exposeDiffers: "Dockerfile exposes {{raw}}{{resolved}} but {{service}}'s container port is {{ports}} in {{source}}{{at}}",
    },
  },
  check(model) {
    const findings: RawFinding[] = [];
    const done = new Set<string>();
    for (const s of model.services.values()) {
      for (const { image, views } of imagesOf(s, false)) {
        const exposes = image.exposes.filter((e) => e.port !== undefined);
        if (exposes.length === 0 || done.has(image.file)) continue;
        const { ports: target, label, locs } = exposeTarget(s, views);
        if (target.length === 0) continue;
        const covers = (p: number): boolean => exposes.some((e) => p >= (e.port as number) && p <= (e.rangeEnd ?? (e.port as number)));
        if (target.some(covers)) continue;
        done.add(image.file);
        for (const e of exposes) {
          let fix: Fix | undefined;
          if (exposes.length === 1 && target.length === 1 && e.literal && e.rangeEnd === undefined) fix = { title: `Change EXPOSE to ${target[0]}`, edits: [{ loc: e.loc, newText: String(target[0]) }] };
          findings.push({
            rule: 'expose-mismatch',
            messageId: 'exposeDiffers',
            data: { raw: e.raw, resolved: e.variable ? ` (= ${e.port})` : '', service: s.name, ports: list(target), source: label, at: locs[0] ? ` (${where(locs[0].loc)})` : '' },
            loc: e.loc,
            service: s.name,
            related: locs,
            fix,
          });
        }
      }
    }
    return findings;
  },
});
