// Flux: a HelmRelease of a chart in this repository (its values, valuesFrom ConfigMaps and Secrets) and a Kustomization of a folder of it.
import { isMap } from 'yaml';
import type { Node } from 'yaml';
import type { LineIndex } from '../../text';
import type { Problem, SourceFile } from '../../types';
import { get, items, path, str } from '../../yaml';
import { noteAt, repoPath } from './decl';
import type { Decl, LayerSpec } from './decl';

/** The deployment a HelmRelease or a Flux Kustomization declares; what cannot be followed is a note in `notes`. */
export function fluxDecls(file: SourceFile, ix: LineIndex, obj: Node, notes: Problem[]): Decl[] {
  const kind = str(get(obj, 'kind'));
  const meta = get(obj, 'metadata');
  const name = str(get(meta, 'name')) ?? '';
  const namespace = str(get(meta, 'namespace')) ?? 'default';
  const at = get(meta, 'name') ?? obj;
  const spec = get(obj, 'spec');
  const target = str(get(spec, 'targetNamespace'));
  const hints = [name, target].filter((h): h is string => !!h);
  if (kind === 'Kustomization') {
    const pathNode = get(spec, 'path');
    const dir = repoPath('', str(pathNode) ?? '.');
    const what = `Flux Kustomization ${name}`;
    if (dir === undefined) {
      notes.push(noteAt(ix, pathNode ?? at, `${what}: path ${str(pathNode) ?? ''} is not a folder of this repository: not checked`));
      return [];
    }
    const sourceKind = str(path(spec, 'sourceRef', 'kind'));
    // An artifact's or an OCI image's paths are its own, not this repository's (an ArtifactGenerator copies folders into it).
    if (sourceKind && sourceKind !== 'GitRepository' && sourceKind !== 'Bucket') {
      notes.push(noteAt(ix, path(spec, 'sourceRef', 'kind'), `${what} reads ${str(pathNode) ?? '.'} from ${article(sourceKind)} ${str(path(spec, 'sourceRef', 'name')) ?? ''}, whose folders are not this repository's as written: not checked`));
      return [];
    }
    const unapplied = ['patches', 'images', 'namePrefix', 'nameSuffix', 'components', 'postBuild'].flatMap((k) => (get(spec, k) ? [{ what: `spec.${k}`, at: get(spec, k) as Node }] : []));
    return [{ what, file, ix, at, dir: { path: dir, at: pathNode ?? at }, hints, layers: [], unapplied, expects: 'kustomize' }];
  }
  const what = `Flux HelmRelease ${name}`;
  const chartSpec = path(spec, 'chart', 'spec');
  const chartNode = get(chartSpec, 'chart');
  if (!chartNode) {
    const ref = get(spec, 'chartRef');
    const why = ref ? `its chart comes from ${article(str(get(ref, 'kind')) ?? 'source')} ${str(get(ref, 'name')) ?? ''}, which is not a chart folder of the workspace: its ports are not checked` : 'it names no chart (a Kustomize patch of a HelmRelease?): the values it writes are not followed into the release it patches';
    notes.push(noteAt(ix, ref ?? at, `${what}: ${why}`));
    return [];
  }
  const sourceKind = str(path(chartSpec, 'sourceRef', 'kind'));
  if (sourceKind === 'HelmRepository' || !/^\.{0,2}\//.test(str(chartNode) ?? '')) {
    notes.push(noteAt(ix, chartNode, `${what} deploys chart ${str(chartNode) ?? ''} of ${sourceKind ? article(sourceKind) : 'a Helm repository'}: the chart is not in the workspace, its ports are not checked`));
    return [];
  }
  const dir = repoPath('', str(chartNode) ?? '');
  if (dir === undefined) {
    notes.push(noteAt(ix, chartNode, `${what}: chart ${str(chartNode) ?? ''} is not a folder of this repository: not checked`));
    return [];
  }
  for (const k of ['valuesFiles', 'valuesFile']) if (get(chartSpec, k)) notes.push(noteAt(ix, get(chartSpec, k), `${what}: chart.spec.${k} is not read (the chart's own values.yaml is)`));
  const layers: LayerSpec[] = [];
  for (const v of items(get(spec, 'valuesFrom'))) {
    const kindNode = str(get(v, 'kind')) ?? 'ConfigMap';
    const refName = str(get(v, 'name'));
    if (!refName) continue;
    layers.push({ k: 'from', kind: kindNode, name: refName, namespace, key: str(get(v, 'valuesKey')) ?? 'values.yaml', targetPath: str(get(v, 'targetPath')), optional: str(get(v, 'optional')) === 'true', at: get(v, 'name') as Node });
  }
  const values = get(spec, 'values');
  if (isMap(values) && values.range) layers.push({ k: 'inline', start: values.range[0], end: values.range[1] });
  return [{ what, file, ix, at, dir: { path: dir, at: chartNode }, hints, releaseName: str(get(spec, 'releaseName')), layers, unapplied: [], expects: 'chart' }];
}

/** `a HelmRepository`, `an OCIRepository`. */
function article(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? 'an' : 'a'} ${word}`;
}
