// The format registry: one line per plug-in. Everything that needs to know which files Port Parity reads
// (the core's file kinds, the language server's watcher, the extension's document selector and
// activation events) is derived from this list.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { CONFIG_FILES } from '../config-files';
import { format as compose } from './compose';
import { format as dockerfile } from './dockerfile';
import { format as dotenv } from './dotenv';
import { format as fly } from './fly';
import { format as gitops } from './gitops';
import { format as helm } from './helm';
import { format as kubernetes } from './kubernetes';
import { format as kustomize } from './kustomize';
import { processJoin } from '../join';
import type { FormatJoin } from '../join';
import type { FileSet, FormatPlugin } from './types';

/** In order: a file is of the kind of the first file set that names it. */
export const FORMATS: readonly FormatPlugin[] = [dockerfile, compose, dotenv, kustomize, gitops, helm, kubernetes, fly];

/** The joins in order of authority over identity: each format's, and the processes platform manifests declare. */
export const JOINS: readonly FormatJoin[] = [...FORMATS.flatMap((f) => (f.join ? [f.join] : [])), processJoin].sort((a, b) => a.order - b.order);

interface Matcher {
  format: FormatPlugin;
  set: FileSet;
  test: (base: string) => boolean;
}

const OPTIONS = { dot: true, nocase: true };
const MATCHERS: Matcher[] = FORMATS.flatMap((format) =>
  format.reads.map((set) => {
    const yes = picomatch(set.files, OPTIONS);
    const no = set.exclude?.length ? picomatch(set.exclude, OPTIONS) : () => false;
    return { format, set, test: (base: string) => yes(base) && !no(base) };
  }),
);

function matcherOf(path: string): Matcher | undefined {
  const base = posix.basename(path);
  return MATCHERS.find((m) => m.test(base) && (!m.set.within || m.set.within(path)));
}

const kinds = new Map<string, string | undefined>();

/** The kind of file by name alone, or undefined for files the core never reads. */
export function kindOfPath(path: string): string | undefined {
  if (kinds.has(path)) return kinds.get(path);
  const kind = matcherOf(path)?.set.kind;
  // A bounded memo: the engine asks again for the same paths on every evaluation.
  if (kinds.size > 100000) kinds.clear();
  kinds.set(path, kind);
  return kind;
}

/**
 * The plug-ins that may read a file of `kind`, in the order they are asked: those that name the kind
 * in their file sets (registry order), then those that sniff it by content.
 */
export function readersOf(kind: string): FormatPlugin[] {
  let out = readers.get(kind);
  if (!out) {
    const owners = FORMATS.filter((f) => f.reads.some((s) => s.kind === kind));
    readers.set(kind, (out = [...owners, ...FORMATS.filter((f) => f.sniffs === kind && !owners.includes(f))]));
  }
  return out;
}

const readers = new Map<string, FormatPlugin[]>();

/** Every file name glob the core reads, and the configuration files: what editors watch. */
export function fileGlobs(): string[] {
  const out = [...FORMATS.flatMap((f) => f.reads.flatMap((s) => s.files)), ...CONFIG_FILES];
  return [...new Set(out)];
}

/** One glob for a watcher that takes a single pattern (no nested braces: VS Code does not allow them). */
export function watchGlob(): string {
  return `**/{${fileGlobs().join(',')}}`;
}

/**
 * The extension's activation events: a workspace holding a file of a format that activates (below one
 * of its folders, where its name alone says nothing), or a document of the formats' languages.
 */
export function activationEvents(): string[] {
  const glob = (names: string[]): string => (names.length === 1 ? names[0] : `{${names.join(',')}}`);
  const sets = [...FORMATS.flatMap((f) => f.reads.filter((s) => s.activates).map((s) => ({ files: s.files, under: typeof s.activates === 'object' ? s.activates.under : undefined }))), { files: CONFIG_FILES, under: undefined }];
  return [...sets.map(({ files, under }) => `workspaceContains:**/${under ? `${glob(under)}/**/` : ''}${glob(files)}`), ...languages().map((l) => `onLanguage:${l}`)];
}

function languages(): string[] {
  return [...new Set(FORMATS.flatMap((f) => f.languages ?? []))];
}

/** The extension's document selector: the formats' languages, and their files by name whatever language an editor gave them. */
export function documentSelector(): ({ scheme: string; language: string } | { scheme: string; pattern: string })[] {
  return [...languages().map((language) => ({ scheme: 'file', language })), { scheme: 'file', pattern: watchGlob() }];
}
