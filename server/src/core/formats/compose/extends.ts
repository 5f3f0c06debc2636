// Compose's `extends:` (a service starts from another's definition, in its own file or in another whose
// path is relative to the extending file's folder), merged as Compose merges an override over it: ports
// and expose added, environment by key, command, entrypoint and healthcheck replaced. The extended
// definition's relative paths (build context, env_file) are its own folder's, as Compose resolves them.
// A chain that comes back to itself is a cycle (Compose refuses the project): each service on it is read
// without what it would inherit, and a note at its `extends` says so; a target not read says so too.
import { posix } from 'node:path';
import { joinRel } from '../../join';
import { dirOf } from '../../paths';
import type { ComposeFacts, ComposeService, Problem } from '../../types';
import { mergeCompose } from './merge';

/** The longest chain followed: Compose has no bound, a repository has no need of one this long. */
const MAX_CHAIN = 32;

interface Run {
  byPath: Map<string, ComposeFacts>;
  notes: Problem[];
  memo: Map<string, ComposeService>;
}

/** Every file's facts with its services' `extends` resolved (the same object where none extends), and the notes. */
export function resolveExtends(files: ComposeFacts[]): { files: ComposeFacts[]; notes: Problem[] } {
  const run: Run = { byPath: new Map(files.map((f) => [f.file, f])), notes: [], memo: new Map() };
  const out = files.map((f) => (f.services.some((s) => s.extends) ? { ...f, services: f.services.map((s) => resolve(f, s, run)) } : f));
  return { files: out, notes: run.notes };
}

/** The files a file's `extends` read, other than itself. */
export function extendedFiles(f: ComposeFacts): string[] {
  return f.services.flatMap((s) => (s.extends?.file ? [joinRel(dirOf(f.file), s.extends.file)] : [])).filter((p) => p !== f.file);
}

function target(f: ComposeFacts, s: ComposeService): string {
  return s.extends?.file ? joinRel(dirOf(f.file), s.extends.file) : f.file;
}

/** The service `s` of `f` extends, or a note saying why there is none. */
function extended(f: ComposeFacts, s: ComposeService, run: Run): { file: ComposeFacts; service: ComposeService } | string {
  const ext = s.extends as NonNullable<ComposeService['extends']>;
  const path = target(f, s);
  const tf = run.byPath.get(path);
  if (!tf) return `extends: ${path} is not read (missing, ignored or not a compose file): ${s.name} is read without what it would inherit from ${ext.service}`;
  const ts = tf.services.find((x) => x.name === ext.service);
  // A file read in part (the language server's incremental path) names services it does not hold.
  if (!ts) return tf.names?.includes(ext.service) ? '' : `extends: ${path} defines no service "${ext.service}": ${s.name} is read without what it would inherit`;
  return { file: tf, service: ts };
}

/** The cycle `s`'s chain runs into, if `s` is on it (the keys `file|service` in order). */
function cycleOf(f: ComposeFacts, s: ComposeService, run: Run): string[] | undefined {
  const chain: string[] = [];
  let cf = f;
  let cs: ComposeService | undefined = s;
  while (cs?.extends && chain.length <= MAX_CHAIN) {
    const key = `${cf.file}|${cs.name}`;
    const at = chain.indexOf(key);
    if (at >= 0) return at === 0 ? chain : undefined;
    chain.push(key);
    const next = extended(cf, cs, run);
    if (typeof next === 'string') return undefined;
    cf = next.file;
    cs = next.service;
  }
  return undefined;
}

function resolve(f: ComposeFacts, s: ComposeService, run: Run, depth = 0): ComposeService {
  if (!s.extends) return s;
  const key = `${f.file}|${s.name}`;
  const done = run.memo.get(key);
  if (done) return done;
  const { extends: ext, ...own } = s;
  let out: ComposeService = own;
  const cycle = cycleOf(f, s, run);
  const next = cycle ? undefined : extended(f, s, run);
  if (cycle) run.notes.push({ message: `extends forms a cycle (${[...cycle, cycle[0]].map((k) => k.replace('|', ': ')).join(' → ')}): ${s.name} is read without what it would inherit`, loc: (ext as NonNullable<typeof ext>).loc });
  else if (depth > MAX_CHAIN) run.notes.push({ message: `extends: a chain longer than ${MAX_CHAIN} is not followed: ${s.name} is read without what it would inherit`, loc: (ext as NonNullable<typeof ext>).loc });
  else if (typeof next === 'string') {
    if (next) run.notes.push({ message: next, loc: (ext as NonNullable<typeof ext>).loc });
  } else if (next) {
    const base = rebase(resolve(next.file, next.service, run, depth + 1), dirOf(next.file.file), dirOf(f.file));
    out = { ...mergeCompose(base, own), name: s.name, nameLoc: s.nameLoc, inherits: [{ file: next.file.file, service: next.service.name }, ...(base.inherits ?? [])] };
  }
  run.memo.set(key, out);
  return out;
}

/**
 * A service read from a file of another folder, with its relative paths (build context, env_file) made
 * relative to `to`, as Compose resolves each file's paths against its own folder.
 */
export function rebase(s: ComposeService, from: string, to: string): ComposeService {
  if (from === to) return s;
  const move = (p: string): string => (/^[a-z]+:\/\/|^git@|^\//i.test(p) ? p : posix.relative(`/${to}`, `/${joinRel(from, p)}`) || '.');
  return { ...s, build: s.build && { ...s.build, context: move(s.build.context) }, envFiles: s.envFiles.map(move) };
}
