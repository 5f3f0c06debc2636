// Files found but not read: which of them look like deployment configuration (said at the file, a
// skipped-source note) and which are plainly something else (listed by `explain --files`, never reported).
import { isMap, get, pairs } from './yaml';
import type { ParsedYaml } from './yaml';
import { LineIndex } from './text';
import type { FileFacts, SkippedFacts, SourceFile } from './types';

/** A line that starts a Kubernetes object's `apiVersion` and one that starts its `kind` (text, for a file that does not parse). */
const API_VERSION = /^apiVersion:[ \t]*\S/m;
const KIND = /^kind:[ \t]*\S/m;

/** Text that reads like a Kubernetes object, whether or not it parses. */
export function looksLikeKubernetes(text: string): boolean {
  return API_VERSION.test(text) && KIND.test(text);
}

/** The offset of a root `services` key whose entries run containers (an image, a build or ports): Compose's shape. */
export function composeShape(parsed: ParsedYaml): number | undefined {
  const root = parsed.docs[0]?.contents;
  if (!isMap(root)) return undefined;
  const services = pairs(root).find((p) => p.key.value === 'services');
  if (!services || !isMap(services.value)) return undefined;
  const runs = pairs(services.value).some((s) => isMap(s.value) && ['image', 'build', 'ports'].some((k) => get(s.value, k) !== undefined));
  return runs ? services.key.range?.[0] ?? 0 : undefined;
}

/**
 * A skipped file that looks like deployment configuration gets a note at the place (line 1 or the
 * offending line) saying why it is not read: the engine's skipped-source reports it. A file that is
 * plainly something else (a workflow, a linter's settings) keeps no note: it is listed, not reported.
 */
export function sayWhyNotRead(facts: SkippedFacts, file: SourceFile, kind: string | undefined, parsed: () => ParsedYaml): SkippedFacts {
  const note = whyNotRead(facts.reason, file, kind, parsed);
  if (note) facts.unknowns = [...(facts.unknowns ?? []), { message: note.message, loc: new LineIndex(file.path, file.text).loc(note.at, note.at) }];
  return facts;
}

function whyNotRead(reason: string, file: SourceFile, kind: string | undefined, parsed: () => ParsedYaml): { message: string; at: number } | undefined {
  // A Dockerfile, a compose file, a .env or fly.toml by name: whatever keeps it from being read is a gap.
  if (reason === 'binary file') return kind && kind !== 'yaml' ? { message: `${file.path} is a binary file (encrypted?): not read, its ports are not checked`, at: 0 } : undefined;
  if (reason === 'unparsable YAML' && looksLikeKubernetes(file.text)) {
    const e = parsed().errors[0];
    return { message: `${file.path} reads like a Kubernetes manifest but is not valid YAML (${firstLine(e?.message ?? 'a syntax error')}): its objects are not read, their ports are not checked`, at: e?.offset ?? 0 };
  }
  if (reason === 'YAML that is neither Kubernetes nor Compose') {
    const at = composeShape(parsed());
    if (at !== undefined) return { message: `${file.path} has Compose's shape (services that run images) but its name does not say compose (compose.yaml, docker-compose.*.yml): not read, its ports are not checked`, at };
  }
  // A chart's files never come here (its render reads them): a template outside any chart cannot be evaluated.
  if (reason === 'template' && kind === 'yaml' && looksLikeKubernetes(file.text)) {
    return { message: `${file.path} is a template (\`{{ }}\`) outside a Helm chart (no Chart.yaml in a folder above it): Port Parity cannot evaluate it, its ports are not checked`, at: Math.max(0, file.text.indexOf('{{')) };
  }
  return undefined;
}

/**
 * A manifest read in part: the YAML parser stopped at a syntax error, and what it could not read is
 * not checked. Said once, at the first error (the YAML language server underlines each in the editor).
 */
export function sayPartlyRead(facts: FileFacts, file: SourceFile, parsed: ParsedYaml | undefined): FileFacts {
  const e = parsed?.errors[0];
  if (facts.kind !== 'kubernetes' || !e) return facts;
  const message = `${file.path} is not valid YAML here (${firstLine(e.message)}): what the parser could not read is not checked`;
  facts.unknowns = [...(facts.unknowns ?? []), { message, loc: new LineIndex(file.path, file.text).loc(e.offset, e.offset) }];
  return facts;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

/** A path the walk passed over (a symbolic link, a file too large or unreadable, a folder it cannot list), and why. */
export interface Unread {
  path: string;
  reason: string;
  /** A folder, not a file: it has no facts, the file list says it. */
  folder?: boolean;
  /** A link to a file of the workspace that is read at its own path. */
  readThere?: string;
  /**
   * A regular file the safe reader refused (too large, unreadable), not a link or a special file: the
   * editor shows only these as diagnostics (opening a diagnostic's file would follow a link out).
   */
  regular?: boolean;
}

/**
 * The facts of the files the walk passed over: nothing of them was read, so the note is at the first
 * line; a link to a file read at its own path is listed, not reported. Folders have no facts.
 */
export function unreadFacts(skips: readonly Unread[]): SkippedFacts[] {
  return skips.flatMap((s): SkippedFacts[] => {
    if (s.folder) return [];
    const facts: SkippedFacts = { kind: 'skipped', file: s.path, reason: s.reason, problems: [], suppressions: [] };
    const loc = { file: s.path, start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 };
    if (s.readThere === undefined) facts.unknowns = [{ message: `${s.path} is not read (${s.reason}): its ports are not checked`, loc }];
    return [facts];
  });
}

/** Whether a file's facts carry a note that a rule reports (skipped-source's unknowns, invalid-port's problems). */
export function isReported(f: FileFacts): boolean {
  return (f.unknowns?.length ?? 0) > 0 || f.problems.length > 0;
}
