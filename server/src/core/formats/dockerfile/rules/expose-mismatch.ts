// expose-mismatch: the Dockerfile's EXPOSE differs from the container port the orchestrator declares.
import { list, where } from '../../../query';
import { imageOf } from '../join';
import type { DockerImage } from '../join';
import type { EnvView } from '../../../model-types';
import type { Fix, RawFinding, Related } from '../../../types';
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
      const byImage = new Map<string, { image: DockerImage; views: EnvView[] }>();
      for (const v of s.views.values()) {
        const image = imageOf(v);
        if (!image) continue;
        const e = byImage.get(image.file) ?? { image, views: [] };
        e.views.push(v);
        byImage.set(image.file, e);
      }
      for (const { image, views } of byImage.values()) {
        const exposes = image.exposes.filter((e) => e.port !== undefined);
        if (exposes.length === 0 || done.has(image.file)) continue;
        // The orchestrators' declarations decide; EXPOSE itself is the fallback and cannot disagree with
        // itself. A port a platform routes to is judged against the image by unserved-port instead.
        const orchestrated = (v: EnvView): EnvView['declared'] => v.declared.filter((d) => d.role !== 'expose' && d.role !== 'routed');
        let target: number[];
        let label: string;
        let locs: Related[] = [];
        if (s.contract) {
          target = s.contract.ports;
          label = 'the port contract';
          locs = [{ loc: s.contract.loc, message: `the contract for ${s.name}` }];
        } else {
          const refView = views.find((v) => v.env === s.reference && orchestrated(v).length > 0);
          const use = refView ? [refView] : views.filter((v) => orchestrated(v).length > 0);
          target = [...new Set(use.flatMap((v) => orchestrated(v).map((d) => d.port)))];
          label = list(use.map((v) => v.env));
          locs = use.flatMap((v) => orchestrated(v).map((d) => ({ loc: d.loc, message: `${s.name}'s container port in ${v.env}` })));
        }
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
