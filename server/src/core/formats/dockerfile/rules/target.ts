// What the Dockerfile rules compare an image's EXPOSE with: the images a service runs (with the views
// that run each), and the ports the service must serve there.
import { list } from '../../../query';
import type { EnvView, ServiceModel } from '../../../model-types';
import type { Related } from '../../../types';
import { imageOf } from '../join';
import type { DockerImage } from '../join';

/** The images a service runs, each with the views that run it; by file, or by file and stage (a build may target another stage). */
export function imagesOf(s: ServiceModel, byStage: boolean): { key: string; image: DockerImage; views: EnvView[] }[] {
  const out = new Map<string, { key: string; image: DockerImage; views: EnvView[] }>();
  for (const v of s.views.values()) {
    const image = imageOf(v);
    if (!image) continue;
    const key = byStage ? `${image.file}|${image.place?.from.start ?? ''}` : image.file;
    const e = out.get(key) ?? { key, image, views: [] };
    e.views.push(v);
    out.set(key, e);
  }
  return [...out.values()];
}

/**
 * The ports a service must serve where these views run its image: the contract's, else the container
 * ports the orchestrators declare in the reference environment, else in every environment that declares
 * one. EXPOSE itself is the fallback declaration and cannot disagree with itself; a port a platform
 * routes to is judged against the image by unserved-port instead.
 */
export function exposeTarget(s: ServiceModel, views: EnvView[]): { ports: number[]; label: string; locs: Related[] } {
  if (s.contract) return { ports: s.contract.ports, label: 'the port contract', locs: [{ loc: s.contract.loc, message: `the contract for ${s.name}` }] };
  const orchestrated = (v: EnvView): EnvView['declared'] => v.declared.filter((d) => d.role !== 'expose' && d.role !== 'routed');
  const refView = views.find((v) => v.env === s.reference && v.variant === undefined && orchestrated(v).length > 0);
  const use = refView ? [refView] : views.filter((v) => !v.foreign && orchestrated(v).length > 0);
  return {
    ports: [...new Set(use.flatMap((v) => orchestrated(v).map((d) => d.port)))],
    label: list([...new Set(use.map((v) => v.env))]),
    locs: use.flatMap((v) => orchestrated(v).map((d) => ({ loc: d.loc, message: `${s.name}'s container port in ${v.env}` }))),
  };
}
