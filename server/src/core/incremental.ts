// Re-evaluating after an edit: only the services a changed file touches (and those linked to them), so
// the cost follows the change, not the workspace. Anything that could move a service boundary falls back
// to a full evaluation; the result always equals a cold evaluation of the same files.
import { analyzeFacts } from './engine';
import type { Analysis } from './engine';
import type { Config } from './config';
import type { FormatJoin, RelationSink } from './join';
import { JOINS } from './formats/registry';
import type { Model } from './model-types';
import { viewFiles } from './parts';
import { findReferences, mergeTargets, parseRefs } from './references';
import type { EnvVar, FileFacts, Finding } from './types';

export interface IncrementalState {
  analysis: Analysis;
  facts: Map<string, FileFacts>;
  /** What decides service boundaries in each file: names, images, builds, labels, selectors. */
  signatures: Map<string, string>;
  filesOf: Map<string, Set<string>>;
  servicesOf: Map<string, Set<string>>;
  /** target → the services whose URLs call it (their reference-port findings depend on its ports). */
  callers: Map<string, Set<string>>;
  /** caller → the services it calls (their ports decide its findings). */
  targets: Map<string, Set<string>>;
  /** service → owners of Services that select its pods (their service-target-port findings depend on it). */
  selectedBy: Map<string, Set<string>>;
  /** owner → the services whose pods its Services select. */
  selects: Map<string, Set<string>>;
  /** Host names (compose names and aliases, Kubernetes Service names) → the service they reach. */
  hosts: Map<string, string>;
  /** How the last update was done, for logs and the benchmark. */
  last: { mode: 'full' | 'incremental'; services: number; files: number; scope?: Set<string> };
}

/** The parts of a file's facts that decide which service is which and where it runs (each format's join says). */
export function signature(f: FileFacts): string {
  if (f.kind === 'skipped') return `skipped:${f.reason}`;
  return joinOf(f)?.signature(f) ?? '';
}

function add<K, V>(map: Map<K, Set<V>>, k: K, v: V): void {
  const s = map.get(k);
  if (s) s.add(v);
  else map.set(k, new Set([v]));
}

/** Files, neighbours and host names of the given services (all of them when `only` is absent). */
type Index = Pick<IncrementalState, 'filesOf' | 'servicesOf' | 'callers' | 'targets' | 'selectedBy' | 'selects' | 'hosts'>;

function indexServices(model: Model, state: Index, only?: Set<string>): void {
  const wanted = (s: string | undefined): s is string => s !== undefined && (!only || only.has(s));
  for (const s of model.services.values()) {
    if (!wanted(s.name)) continue;
    const files = new Set<string>();
    for (const v of s.views.values()) viewFiles(v, files);
    state.filesOf.set(s.name, files);
    for (const f of files) add(state.servicesOf, f, s.name);
  }
  const sink: RelationSink = {
    host: (name, service) => void state.hosts.set(name, service),
    depends(owner, other) {
      add(state.selects, owner, other);
      add(state.selectedBy, other, owner);
    },
    file(service, file) {
      add(state.filesOf, service, file);
      add(state.servicesOf, file, service);
    },
  };
  for (const x of JOINS) x.relate?.(model, sink, wanted);
  for (const r of findReferences(model, only)) {
    add(state.targets, r.from, r.target);
    add(state.callers, r.target, r.from);
  }
}

export function fullState(facts: FileFacts[], config: Config): IncrementalState {
  const analysis = analyzeFacts(facts, config);
  const state: IncrementalState = {
    analysis,
    facts: new Map(facts.map((f) => [f.file, f])),
    signatures: new Map(facts.map((f) => [f.file, signature(f)])),
    filesOf: new Map(),
    servicesOf: new Map(),
    callers: new Map(),
    targets: new Map(),
    selectedBy: new Map(),
    selects: new Map(),
    hosts: new Map(),
    last: { mode: 'full', services: analysis.model.services.size, files: facts.length },
  };
  indexServices(analysis.model, state);
  return state;
}

function varsOf(f: FileFacts): EnvVar[] {
  return joinOf(f)?.vars(f) ?? [];
}

/** The format join that reads a file's facts. */
function joinOf(f: FileFacts): FormatJoin | undefined {
  return JOINS.find((x) => x.kind === f.kind);
}

/** A file's projects (several files read as one, as a compose project's and the files it includes), if its format has them. */
function projectOf(f: FileFacts | undefined): string[] | undefined {
  return f ? joinOf(f)?.project?.(f) : undefined;
}

/**
 * The state after the files changed to `facts`. `facts` holds every file; unchanged files keep their
 * FileFacts objects (the extraction cache guarantees it), which is how a change is seen. The indexes
 * of `prev` are updated in place: `prev` must not be used afterwards. `maxShare`:
 * the largest share of services worth re-evaluating alone (tests set 1 to take the path everywhere).
 */
export function updateState(prev: IncrementalState, facts: FileFacts[], config: Config, opts: { maxShare?: number; changed?: string[] } = {}): IncrementalState {
  if (config !== prev.analysis.model.config) return fullState(facts, config);
  const change = opts.changed ? namedChange(prev, opts.changed, facts) : scannedChange(prev, facts);
  if (!change) return fullState(facts, config);
  if (change.changed.length === 0) return prev;
  const seeds = seedServices(prev, change);
  if (!seeds) return fullState(facts, config);
  if (seeds.seed.size === 0) return { ...prev, facts: change.next, analysis: { ...prev.analysis, facts } };
  // Past half the workspace, one full evaluation costs less than the bookkeeping.
  const limit = (opts.maxShare ?? 0.5) * prev.analysis.model.services.size;
  const plan = planScope(prev, change, seeds, limit);
  if (!plan) return fullState(facts, config);
  return evaluatePart(prev, facts, config, change, plan);
}

/** The files that changed, every file's facts now, and the facts each changed file had before. */
interface Change {
  next: Map<string, FileFacts>;
  changed: string[];
  /** The facts each changed file had before (prev.facts may be updated in place). */
  was: Map<string, FileFacts | undefined>;
}

/** The services a change starts from, and the services its values now name. */
interface Seeds {
  seed: Set<string>;
  targetsNamed: Set<string>;
}

/** What a partial evaluation judges (scope), reads besides (context), and which files it reads (fresh: read whole). */
interface Plan {
  scope: Set<string>;
  context: Set<string>;
  files: Set<string>;
  fresh: Set<string>;
}

/** The change among the files the caller names; undefined (a full run) when one of them has no facts. */
function namedChange(prev: IncrementalState, named: string[], facts: FileFacts[]): Change | undefined {
  // The caller knows which files it re-read (and that none appeared or went): no scan of every file.
  const next = prev.facts;
  const changed: string[] = [];
  const was = new Map<string, FileFacts | undefined>();
  const byFile = new Map<string, FileFacts>();
  const wanted = new Set(named);
  for (const f of facts) if (wanted.has(f.file)) byFile.set(f.file, f);
  for (const file of named) {
    const f = byFile.get(file);
    if (!f) return undefined;
    if (prev.facts.get(file) === f) continue;
    changed.push(file);
    was.set(file, prev.facts.get(file));
    next.set(file, f);
  }
  return { next, changed, was };
}

/** The change found by comparing every file's facts with the previous ones (files that appeared or went included). */
function scannedChange(prev: IncrementalState, facts: FileFacts[]): Change {
  const next = new Map(facts.map((f) => [f.file, f]));
  const changed: string[] = [];
  for (const [file, f] of next) if (prev.facts.get(file) !== f) changed.push(file);
  for (const file of prev.facts.keys()) if (!next.has(file)) changed.push(file);
  const was = new Map<string, FileFacts | undefined>();
  for (const file of changed) was.set(file, prev.facts.get(file));
  return { next, changed, was };
}

/** The services owning the changed files; undefined (a full run) when a change can move a service boundary. */
function seedServices(prev: IncrementalState, { next, changed, was }: Change): Seeds | undefined {
  const seed = new Set<string>();
  const targetsNamed = new Set<string>();
  for (const file of changed) {
    const before = was.get(file);
    const after = next.get(file);
    // A file that appears, disappears or changes a name, a label or a build can move service boundaries.
    if (!before || !after || prev.signatures.get(file) !== signature(after)) return undefined;
    const owners = prev.servicesOf.get(file);
    if (!owners || owners.size === 0) {
      // A skipped file's notes (a YAML alias that names nothing, say) are findings of their own.
      if (before.kind === 'skipped' && after.kind === 'skipped' && sameNotes(before, after)) continue;
      return undefined;
    }
    for (const s of owners) seed.add(s);
    addNamedTargets(prev.hosts, after, targetsNamed);
  }
  return { seed, targetsNamed };
}

/** Adds the services a file's values name by host: a value may now name another service, whose ports decide its findings. */
function addNamedTargets(hosts: Map<string, string>, f: FileFacts, out: Set<string>): void {
  for (const v of varsOf(f)) {
    if (!v.value.includes(':')) continue;
    for (const r of parseRefs(v.value)) {
      const target = hosts.get(r.host) ?? hosts.get(r.host.split('.')[0]);
      if (target) out.add(target);
    }
  }
}

/** What is judged and what is read; undefined (a full run) when the context grows past `limit` services. */
function planScope(prev: IncrementalState, change: Change, seeds: Seeds, limit: number): Plan | undefined {
  const { scope, context } = scopeOf(prev, seeds);
  if (context.size > limit) return undefined;
  const files = new Set<string>(change.changed);
  for (const s of context) for (const f of prev.filesOf.get(s) ?? []) files.add(f);
  const fresh = freshFiles(change, files);
  addLocated(change, files, fresh);
  if (!widenContext(prev, change.next, { scope, context, files, fresh }, limit)) return undefined;
  addProjectFiles(change.next, files);
  return { scope, context, files, fresh };
}

/**
 * Every file of a project a read file belongs to (a compose folder's files decide together which is the
 * project, its environments and its variants): those not read whole keep only the modelled services.
 */
function addProjectFiles(next: Map<string, FileFacts>, files: Set<string>): void {
  const wanted = new Set<string>();
  for (const f of files) {
    for (const p of projectOf(next.get(f)) ?? []) wanted.add(p);
  }
  if (wanted.size === 0) return;
  closeProjects(next, wanted);
  for (const f of next.values()) {
    if (projectOf(f)?.some((p) => wanted.has(p))) files.add(f.file);
  }
}

/**
 * The projects that read these, transitively: a file's keys are its own project and those it includes or
 * extends from, so a change in c/ reaches b/ (which includes c/) and a/ (which includes b/).
 */
function closeProjects(next: Map<string, FileFacts>, keys: Set<string>): void {
  for (let size = -1; size !== keys.size; ) {
    size = keys.size;
    for (const f of next.values()) {
      const ps = projectOf(f);
      if (ps && ps.length > 1 && ps.some((p) => keys.has(p))) for (const p of ps) keys.add(p);
    }
  }
}

/** Which services are judged again (scope) and which are read with them (context). */
function scopeOf(prev: IncrementalState, { seed, targetsNamed }: Seeds): { scope: Set<string>; context: Set<string> } {
  // Recomputed: the changed services, the callers whose URLs name them, the owners of Services selecting
  // them, and every service that shares a changed file. Read but not judged (context): what those call or select.
  const scope = new Set<string>(seed);
  for (const s of seed) {
    for (const c of prev.callers.get(s) ?? []) scope.add(c);
    for (const o of prev.selectedBy.get(s) ?? []) scope.add(o);
  }
  const context = new Set<string>(scope);
  for (const s of scope) {
    for (const t of prev.targets.get(s) ?? []) context.add(t);
    for (const t of prev.selects.get(s) ?? []) context.add(t);
  }
  for (const t of targetsNamed) context.add(t);
  return { scope, context };
}

/** Which of the files are read whole: the changed ones and the compose files of a changed compose project. */
function freshFiles({ next, changed, was }: Change, files: Set<string>): Set<string> {
  // Findings about a file as such (malformed values, duplicates) change only with the file, or for a
  // compose file with any file of its project. Those are read whole; other compose files only for the
  // services modelled, so a shared compose file of a hundred services does not model all hundred.
  const projects = new Set(changed.flatMap((f) => [...(projectOf(next.get(f)) ?? []), ...(projectOf(was.get(f)) ?? [])]));
  const fresh = new Set<string>(changed);
  if (projects.size === 0) return fresh;
  closeProjects(next, projects);
  // Every file of those projects, also one no judged service names (an included file's clash with the includer).
  for (const f of next.values()) {
    if (!projectOf(f)?.some((p) => projects.has(p))) continue;
    fresh.add(f.file);
    files.add(f.file);
  }
  return fresh;
}

/** Adds the files a changed render reported at (fresh) and every file whose facts report there (read). */
function addLocated({ next, changed, was }: Change, files: Set<string>, fresh: Set<string>): void {
  // A render (a chart's or an overlay's environment) reports its problems at the files it read, not at
  // itself: findings about those files are made again too, from every file's facts that report there
  // (a base read by two overlays), with those files' own facts for their suppressions.
  const located = new Set<string>();
  for (const file of changed) for (const f of [was.get(file), next.get(file)]) if (f) for (const l of reportedAt(f)) if (l !== file) located.add(l);
  if (located.size === 0) return;
  for (const l of located) {
    fresh.add(l);
    if (next.has(l)) files.add(l);
  }
  for (const f of next.values()) if (!files.has(f.file) && reportedAt(f).some((l) => located.has(l))) files.add(f.file);
}

/** Adds every other service the files hold to the context, and its files; false when the context grows past `limit`. */
function widenContext(prev: IncrementalState, next: Map<string, FileFacts>, { context, files, fresh }: Plan, limit: number): boolean {
  // Every other service these files hold is read whole, as context: a service read in part can be
  // keyed or placed otherwise than in the whole (by an image another of its files names, say), and its
  // pods may be what a judged Service selects. A compose file not read whole keeps only the context's
  // services, so it adds none.
  // One walk: a Set's iteration visits the files added while it runs.
  for (const f of files) {
    if (projectOf(next.get(f)) !== undefined && !fresh.has(f)) continue;
    for (const s of prev.servicesOf.get(f) ?? []) {
      if (context.has(s)) continue;
      context.add(s);
      if (context.size > limit) return false;
      for (const g of prev.filesOf.get(s) ?? []) files.add(g);
    }
  }
  return true;
}

/** The state after evaluating the planned files alone and merging the result into the previous state. */
function evaluatePart(prev: IncrementalState, facts: FileFacts[], config: Config, change: Change, plan: Plan): IncrementalState {
  const { scope, context, files, fresh } = plan;
  // In the workspace's order, as a cold evaluation reads them: which declaration a message cites and
  // which Service of a name a host reaches ("the first of a name") depend on it.
  const subset = facts.filter((f) => files.has(f.file)).map((x) => (fresh.has(x.file) ? x : (joinOf(x)?.narrow?.(x, context) ?? x)));
  const part = analyzeFacts(subset, config, prev.analysis.model.context, context);
  const model = mergeModel(prev.analysis.model, part.model, scope, files, fresh, change.next);
  mergeTargets(prev.analysis.model, part.model, model);
  const analysis: Analysis = { model, ...mergeFindings(prev.analysis, part, change, plan), facts };
  const state: IncrementalState = { ...prev, analysis, facts: change.next, last: { mode: 'incremental', services: scope.size, files: files.size, scope } };
  reindex(state, part.model, scope, change);
  return state;
}

/** Which findings stay from before and which come from the part: a service's go with the scope, a file's as such with the fresh files. */
function mergeFindings(whole: Analysis, part: Analysis, { next, was }: Change, { scope, fresh }: Plan): Pick<Analysis, 'findings' | 'suppressed'> {
  // A finding about a project's file (a compose host-port clash) involves every service of the project: it goes with its file.
  const perFile = (f: Finding): boolean => f.service === undefined || (f.rule === 'duplicate-port' && projectOf(next.get(f.loc.file) ?? was.get(f.loc.file)) !== undefined);
  const keep = (f: Finding): boolean => (perFile(f) ? !fresh.has(f.loc.file) : !scope.has(f.service as string));
  const take = (f: Finding): boolean => (perFile(f) ? fresh.has(f.loc.file) : scope.has(f.service as string));
  const order = (a: Finding, b: Finding): number => a.loc.file.localeCompare(b.loc.file) || a.loc.start - b.loc.start || a.rule.localeCompare(b.rule);
  return {
    findings: [...whole.findings.filter(keep), ...part.findings.filter(take)].sort(order),
    suppressed: [...whole.suppressed.filter(keep), ...part.suppressed.filter(take)].sort(order),
  };
}

/** Rebuilds the scope's index entries from the part, and the changed files' signatures. */
function reindex(state: IncrementalState, part: Model, scope: Set<string>, { next, changed }: Change): void {
  for (const s of scope) {
    for (const f of state.filesOf.get(s) ?? []) state.servicesOf.get(f)?.delete(s);
    state.filesOf.delete(s);
  }
  // Only the scope's entries are rebuilt: context services were read incompletely.
  for (const s of scope) {
    for (const t of state.targets.get(s) ?? []) state.callers.get(t)?.delete(s);
    state.targets.delete(s);
  }
  indexServices(part, state, scope);
  for (const file of changed) {
    const f = next.get(file);
    if (f) state.signatures.set(file, signature(f));
  }
}

/** The files a file's facts report problems in (and, for a render, what it could not follow or helm disagrees with). */
function reportedAt(f: FileFacts): string[] {
  const out: string[] = [];
  for (const p of f.problems) out.push(p.loc.file);
  // Any file's parts left unread (a bound hit) are reported at it; a render's, at what it could not follow.
  for (const p of f.unknowns ?? []) out.push(p.loc.file);
  if (f.kind === 'kubernetes') for (const p of f.helmMismatches ?? []) out.push(p.loc.file);
  return out;
}

/** The whole model with the scoped services (and the objects of the re-read files) taken from the part. */
function mergeModel(whole: Model, part: Model, scope: Set<string>, files: Set<string>, fresh: Set<string>, facts: Map<string, FileFacts>): Model {
  // The whole model is consumed (updateState replaces the state it starts from): its services map is
  // updated in place, so an edit does not copy a thousand entries.
  const services = whole.services;
  for (const name of scope) {
    const s = part.services.get(name);
    if (s) services.set(name, s);
  }
  for (const [name, s] of part.services) if (!services.has(name)) services.set(name, s);
  // Each format's index: units of the re-read files come from the part, the others stay.
  const indexes = new Map(whole.indexes);
  for (const x of JOINS) {
    const a = whole.indexes.get(x.kind);
    const b = part.indexes.get(x.kind);
    if (x.mergeIndex && (a !== undefined || b !== undefined)) indexes.set(x.kind, x.mergeIndex(a, b, files, fresh));
  }
  return { ...whole, services, facts, indexes };
}

/** Same problems and notes (skipped-source, invalid-port at the file): nothing it reports changed. */
function sameNotes(a: FileFacts, b: FileFacts): boolean {
  const notes = (f: FileFacts): string => JSON.stringify([f.problems, f.unknowns ?? []]);
  return notes(a) === notes(b);
}
