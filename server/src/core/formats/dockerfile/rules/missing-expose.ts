// missing-expose: the container port every orchestrator declares for a service is not among the ports
// its Dockerfile EXPOSEs (none at all, or only some of them).
import { list, where } from '../../../query';
import type { ExposePlace, RawFinding } from '../../../types';
import { defineRule } from '../../../rules/types';
import { exposeTarget, imagesOf } from './target';

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
      for (const { image, views } of imagesOf(s, true)) {
        if (!image.place) continue;
        const place = image.place as ExposePlace;
        const key = `${image.file}|${place.from.start}`;
        if (done.has(key) || image.exposes.some((e) => e.port === undefined)) continue;
        // Nothing exposed on a base image that may expose the port itself: unknown, not missing.
        if (image.exposes.length === 0 && !quietBase(place.base)) continue;
        const t = exposeTarget(s, views);
        const covers = (p: number): boolean => image.exposes.some((e) => p >= (e.port as number) && p <= (e.rangeEnd ?? (e.port as number)));
        const missing = t.ports.filter((p) => !covers(p)).sort((a, b) => a - b);
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
