// Which extractor reads a file, from its name and (for YAML) its content.
import { posix } from 'node:path';
import { visit } from 'yaml';
import { extractCompose } from './extract/compose';
import { extractDockerfile } from './extract/dockerfile';
import { extractDotenv } from './extract/dotenv';
import { extractKubernetes, isKubernetesDoc } from './extract/kubernetes';
import { commentSuppressions } from './extract/suppress';
import { LineIndex } from './text';
import type { FileFacts, SourceFile } from './types';
import { get, isMap, parseYaml } from './yaml';
import type { ParsedYaml, YamlDoc } from './yaml';

export type FileKind = 'dockerfile' | 'compose' | 'yaml' | 'dotenv' | 'helm-helpers';

const COMPOSE = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;

/** The kind of file by name alone, or undefined for files the core never reads. */
export function kindOfPath(path: string): FileKind | undefined {
  const base = posix.basename(path);
  const lower = base.toLowerCase();
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower === 'containerfile' || lower.startsWith('containerfile.')) return 'dockerfile';
  if (COMPOSE.test(base)) return 'compose';
  if (lower === '.env' || (lower.startsWith('.env.') && !/\.(example|sample|template|dist|defaults?)$/.test(lower))) return 'dotenv';
  // `app.env`: the env files a kustomization's configMapGenerator (or a compose env_file) reads.
  if (lower.endsWith('.env') && !lower.startsWith('.')) return 'dotenv';
  // `Kustomization`, the extensionless name Kustomize also accepts.
  if (lower.endsWith('.yaml') || lower.endsWith('.yml') || base === 'Kustomization') return 'yaml';
  // A chart's named templates (`templates/_helpers.tpl`): read only to render the chart.
  if (lower.endsWith('.tpl') && path.split('/').slice(0, -1).includes('templates')) return 'helm-helpers';
  return undefined;
}

function skipped(file: SourceFile, reason: string): FileFacts {
  return { kind: 'skipped', file: file.path, reason, problems: [], suppressions: reason === 'binary file' ? [] : commentSuppressions(file.text) };
}

/** Extracts one file's facts; never throws. `interpolation`: the `.env` beside a compose file. */
/** `parsed`: the file's YAML parse when a renderer already made it (a kustomization's resource or patch). */
export function extractFile(file: SourceFile, interpolation: Record<string, string> = {}, parsed?: ParsedYaml): FileFacts {
  const kind = kindOfPath(file.path);
  try {
    if (file.text.includes('\u0000')) return skipped(file, 'binary file');
    if (kind === 'dockerfile') return extractDockerfile(file);
    if (kind === 'dotenv') return extractDotenv(file);
    if (kind === 'compose') return extractCompose(file, interpolation);
    if (kind === 'yaml') return extractYaml(file, interpolation, parsed);
    if (kind === 'helm-helpers') return skipped(file, 'template');
    return skipped(file, 'not a deployment file');
  } catch (e) {
    const f = skipped(file, 'unreadable');
    f.problems.push({ message: `could not read ${file.path}: ${(e as Error).message}`, loc: new LineIndex(file.path, file.text).loc(0, 0) });
    return f;
  }
}

function extractYaml(file: SourceFile, interpolation: Record<string, string>, parsed?: ParsedYaml): FileFacts {
  const lower = posix.basename(file.path).toLowerCase();
  if (/^kustomization(\.ya?ml)?$/.test(lower)) return skipped(file, 'kustomization');
  // Helm templates are Go templates, not YAML, until rendered; under `templates/` that is known before parsing.
  if (file.text.includes('{{') && file.path.split('/').slice(0, -1).includes('templates')) return skipped(file, 'template');
  const yaml = parsed ?? parseYaml(file.text);
  const facts = readYaml(file, interpolation, yaml, lower);
  // What the parse left unread is said at the place, whatever the file turned out to be.
  if (yaml.notes.length && facts.kind !== 'compose' && !(facts.kind === 'skipped' && facts.reason === 'template')) {
    const ix = new LineIndex(file.path, file.text);
    facts.unknowns = [...(facts.unknowns ?? []), ...yaml.notes.map((n) => ({ message: n.message, loc: ix.loc(n.offset, n.offset) }))];
  }
  return facts;
}

function readYaml(file: SourceFile, interpolation: Record<string, string>, parsed: ParsedYaml, lower: string): FileFacts {
  const { docs, errors } = parsed;
  if (file.text.includes('{{') && isTemplate(file.path, file.text, docs, errors.length > 0)) return skipped(file, 'template');
  // YAML syntax errors are the YAML language server's to report; what parsed is still read.
  if (docs.some(isKubernetesDoc)) return extractKubernetes(file, docs);
  const root = docs[0]?.contents;
  if (isMap(root) && isMap(get(root, 'services')) && lower.includes('compose')) return extractCompose(file, interpolation);
  return skipped(file, errors.length ? 'unparsable YAML' : 'YAML that is neither Kubernetes nor Compose');
}

/**
 * A chart's `templates/` file, or `{{` where YAML structure goes. `{{ $labels.instance }}` inside a
 * string (alert annotations, Argo parameters) or a comment leaves a real manifest: it is still read.
 */
function isTemplate(path: string, text: string, docs: YamlDoc[], broken: boolean): boolean {
  if (broken || path.split('/').slice(0, -1).includes('templates')) return true;
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
