// Helm charts: a chart is read by rendering it once per environment (helm.ts beside this file), never file by file.
// Its templates (Go templates, not YAML until rendered) and named templates (`_helpers.tpl`) are read
// only by that render; alone they carry no facts.
import { visit } from 'yaml';
import { inTemplates, skipped } from '../skipped';
import type { YamlDoc } from '../../yaml';
import type { FormatPlugin } from '../types';
import { rule as helmTemplateMismatch } from './rules/helm-template-mismatch';

export const format: FormatPlugin = {
  id: 'helm',
  title: 'Helm chart',
  reads: [
    { kind: 'yaml', files: ['Chart.yaml', 'Chart.yml'], activates: true },
    { kind: 'helm-helpers', files: ['*.tpl'], within: inTemplates, activates: false },
    // A chart's values schema (helm validates values against it) and its archived subcharts
    // (`charts/*.tgz`: the host reads them as the files they hold, docs/formats/helm.md).
    { kind: 'helm-schema', files: ['values.schema.json'], activates: false },
    { kind: 'helm-archive', files: ['*.tgz'], activates: false },
  ],
  languages: ['helm'],
  units: 'chart × environment',
  rules: [helmTemplateMismatch],
  extract(file, ctx) {
    if (ctx.kind === 'helm-helpers') return skipped(file, 'template');
    if (ctx.kind === 'helm-schema') return skipped(file, 'values schema');
    if (ctx.kind === 'helm-archive') return skipped(file, 'chart archive');
    if (!file.text.includes('{{')) return undefined;
    // Under `templates/` a file is a template before it is parsed.
    if (inTemplates(file.path)) return skipped(file, 'template');
    const { docs, errors } = ctx.yaml();
    return isTemplate(file.text, docs, errors.length > 0) ? skipped(file, 'template') : undefined;
  },
};

/**
 * `{{` where YAML structure goes (or a file that does not parse). `{{ $labels.instance }}` inside a
 * string (alert annotations, Argo parameters) or a comment leaves a real manifest: it is still read.
 */
function isTemplate(text: string, docs: YamlDoc[], broken: boolean): boolean {
  if (broken) return true;
  const strings: [number, number][] = [];
  for (const doc of docs) {
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value === 'string' && node.range) strings.push([node.range[0], node.range[1]]);
      },
    });
  }
  for (let at = text.indexOf('{{'); at >= 0; at = text.indexOf('{{', at + 2)) {
    if (strings.some(([a, b]) => at >= a && at < b)) continue;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (/(^|\s)#/.test(text.slice(lineStart, at))) continue;
    return true;
  }
  return false;
}
