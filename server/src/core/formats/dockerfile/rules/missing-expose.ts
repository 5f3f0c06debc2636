// missing-expose: the container port every orchestrator declares for a service is not among the ports
// its Dockerfile EXPOSEs (none at all, or only some of them).
import { list, where } from '../../../query';
import { imageOf } from '../join';
import type { DockerImage } from '../join';
import type { EnvView, ServiceModel } from '../../../model-types';
import type { ExposePlace, RawFinding, Related } from '../../../types';
import { defineRule } from '../../../rules/types';

/** The ports the service must serve (the contract's, else the orchestrators' in the reference environment, else in every environment), and where they are said. */
function target(s: ServiceModel, views: EnvView[]): { ports: number[]; label: string; locs: Related[] } {
  if (s.contract) return { ports: s.contract.ports, label: 'the port contract', locs: [{ loc: s.contract.loc, message: `the contract for ${s.name}` }] };
  // EXPOSE itself is the fallback declaration; a port a platform routes to is unserved-port's.
  const orchestrated = (v: EnvView): EnvView['declared'] => v.declared.filter((d) => d.role !== 'expose' && d.role !== 'routed');
  const refView = views.find((v) => v.env === s.reference && v.variant === undefined && orchestrated(v).length > 0);
  const use = refView ? [refView] : views.filter((v) => orchestrated(v).length > 0);
  return {
    ports: [...new Set(use.flatMap((v) => orchestrated(v).map((d) => d.port)))].sort((a, b) => a - b),
    label: list([...new Set(use.map((v) => v.env))]),
    locs: use.flatMap((v) => orchestrated(v).map((d) => ({ loc: d.loc, message: `${s.name}'s container port in ${v.env}` }))),
  };
}

/**
 * Base images that EXPOSE nothing themselves (language runtimes, OS images, distroless): a stage built
 * on one exposes only what it says. A server image (nginx, postgres, redis, php:apache) exposes its
 * port, which the stage inherits unseen: there a Dockerfile without EXPOSE is not judged.
 */
const QUIET = new Set([
  'scratch', 'alpine', 'debian', 'ubuntu', 'busybox', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'ubi', 'ubi-minimal', 'ubi8', 'ubi9',
  'node', 'python', 'golang', 'ruby', 'rust', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'ibmjava', 'sapmachine', 'maven', 'gradle', 'sdk', 'runtime',
  'aspnet', 'runtime-deps', 'elixir', 'erlang', 'haskell', 'perl', 'swift', 'julia', 'bun', 'deno', 'dart', 'clojure',
]);

function quietBase(image: string | undefined): boolean {
  if (!image) return false;
  const name = image.toLowerCase().split('@')[0].replace(/:[^/]*$/, '');
  return name.includes('distroless') || QUIET.has(name.split('/').pop() ?? '');
}

export const rule = defineRule({
  meta: {
    id: 'missing-expose',
    description: "The container port Compose, Kubernetes or the contract declares for a service is not among the ports its Dockerfile EXPOSEs.",
    defaultSeverity: 'info',
    fixable: true,
    movesPorts: false,
    alignable: false,
    messages: {
      notExposed: "{{service}}'s Dockerfile does not EXPOSE {{missing}}, its container port{{plural}} in {{source}}{{at}}",
    },
  },
  check(model) {
    const findings: RawFinding[] = [];
    const done = new Set<string>();
    for (const s of model.services.values()) {
      // By stage: a compose build's target may be another stage of the file than the one a manifest's image is.
      const byImage = new Map<string, { image: DockerImage; views: EnvView[] }>();
      for (const v of s.views.values()) {
        const image = imageOf(v);
        if (!image?.place) continue;
        const key = `${image.file}|${image.place.from.start}`;
        const e = byImage.get(key) ?? { image, views: [] };
        e.views.push(v);
        byImage.set(key, e);
      }
      for (const { image, views } of byImage.values()) {
        // An EXPOSE whose variable is unset is expose-unset-variable's; one that exposes none of the ports, expose-mismatch's.
        const place = image.place as ExposePlace;
        const key = `${image.file}|${place.from.start}`;
        if (done.has(key) || image.exposes.some((e) => e.port === undefined)) continue;
        // Nothing exposed on a base image that may expose the port itself: unknown, not missing.
        if (image.exposes.length === 0 && !quietBase(place.base)) continue;
        const t = target(s, views);
        const covers = (p: number): boolean => image.exposes.some((e) => p >= (e.port as number) && p <= (e.rangeEnd ?? (e.port as number)));
        const missing = t.ports.filter((p) => !covers(p));
        if (missing.length === 0 || (image.exposes.length > 0 && !t.ports.some(covers))) continue;
        done.add(key);
        const { eol } = place;
        const line = `EXPOSE ${missing.join(' ')}${eol}`;
        findings.push({
          rule: 'missing-expose',
          messageId: 'notExposed',
          data: { service: s.name, missing: list(missing), plural: missing.length === 1 ? '' : 's', source: t.label, at: t.locs[0] ? ` (${where(t.locs[0].loc)})` : '' },
          loc: place.from,
          service: s.name,
          related: t.locs,
          fix: { title: `Add ${line.trim()}`, edits: [{ loc: place.at, newText: place.newline ? `${eol}${line}` : line }] },
        });
      }
    }
    return findings;
  },
});
