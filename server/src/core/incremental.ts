// Re-evaluating after an edit: only the services a changed file touches (and those linked to them), so
// the cost follows the change, not the workspace. Anything that could move a service boundary falls back
// to a full evaluation; the result always equals a cold evaluation of the same files.
import { posix } from 'node:path';
import { analyzeFacts } from './engine';
import type { Analysis } from './engine';
import type { Config } from './config';
import { indexPods } from './model';
import type { Model } from './model';
import { viewFiles } from './parts';
import { policyPods, serviceIndex } from './query';
import { findReferences, mergeTargets, parseRefs } from './references';
import type { ComposeFacts, EnvVar, FileFacts, Finding } from './types';

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

/** The parts of a file's facts that decide which service is which and where it runs. */
export function signature(f: FileFacts): string {
  switch (f.kind) {
    case 'compose':
      return JSON.stringify(f.services.map((s) => [s.name, s.image, s.build?.context, s.build?.dockerfile, s.build?.target, s.containerName, s.aliases, s.envFiles]));
    case 'kubernetes':
      return JSON.stringify([
        f.env,
        f.workloads.map((w) => [w.kind, w.name, w.namespace, w.labels, w.containers.map((c) => [c.name, c.image, c.init, c.nativeSidecar, c.envFrom, c.envRefs])]),
        f.services.map((s) => [s.name, s.namespace, s.selector]),
        f.configMaps.map((c) => [c.name, c.namespace]),
        f.backends.map((b) => [b.service, b.namespace]),
        f.networkPolicies.map((p) => [p.name, p.namespace, p.podSelector]),
      ]);
    case 'dockerfile':
      return JSON.stringify(f.stages.map((s) => s.name ?? ''));
    case 'dotenv':
      return 'dotenv';
    case 'contributed':
      return JSON.stringify(f.processes.map((p) => [p.service, p.image, p.build, p.defaultEnv]));
    case 'skipped':
      return `skipped:${f.reason}`;
  }
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
    for (const v of s.views.values()) {
      viewFiles(v, files);
      const c = v.compose?.service;
      if (c) for (const h of [c.name, c.containerName, ...c.aliases]) if (h) state.hosts.set(h, s.name);
    }
    state.filesOf.set(s.name, files);
    for (const f of files) add(state.servicesOf, f, s.name);
  }
  for (const units of model.servicesByEnv.values()) {
    for (const u of units) {
      const owner = u.selected[0]?.service;
      if (!owner) continue;
      state.hosts.set(u.svc.name, owner);
      for (const w of u.selected) {
        if (w.service === owner || !(wanted(owner) || wanted(w.service))) continue;
        add(state.selects, owner, w.service);
        add(state.selectedBy, w.service, owner);
      }
    }
  }
  // Routing objects report on their own file for the Service's owner: that file belongs to the owner.
  for (const [env, list] of model.backendsByEnv) {
    const services = serviceIndex(model.servicesByEnv.get(env) ?? []);
    for (const { backend, file } of list) {
      const unit = services.get(`${backend.namespace}/${backend.service}`);
      const owner = unit?.selected[0]?.service;
      if (!wanted(owner)) continue;
      add(state.filesOf, owner, file);
      add(state.servicesOf, file, owner);
    }
  }
  // A NetworkPolicy reports for its first pod's service, judged against every pod it selects.
  for (const [env, list] of model.policiesByEnv) {
    for (const { policy, file } of list) {
      if (Object.keys(policy.podSelector).length === 0) continue;
      const pods = policyPods(model, env, policy);
      const owner = pods[0]?.service;
      for (const w of pods) {
        if (!wanted(w.service) && !wanted(owner)) continue;
        add(state.filesOf, w.service, file);
        add(state.servicesOf, file, w.service);
        if (owner && w.service !== owner) {
          add(state.selects, owner, w.service);
          add(state.selectedBy, w.service, owner);
        }
      }
    }
  }
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
  switch (f.kind) {
    case 'compose':
      return f.services.flatMap((s) => s.environment);
    case 'kubernetes':
      return [...f.workloads.flatMap((w) => w.containers.flatMap((c) => c.env)), ...f.configMaps.flatMap((c) => c.data)];
    case 'dockerfile':
      return f.env;
    case 'dotenv':
      return f.vars;
    case 'contributed':
      return f.processes.flatMap((p) => p.parts.vars.flatMap((l) => l.vars));
    default:
      return [];
  }
}

/**
 * The state after the files changed to `facts`. `facts` holds every file; unchanged files keep their
 * FileFacts objects (the extraction cache guarantees it), which is how a change is seen. The indexes
 * of `prev` are updated in place: `prev` must not be used afterwards. `maxShare`:
 * the largest share of services worth re-evaluating alone (tests set 1 to take the path everywhere).
 */
export function updateState(prev: IncrementalState, facts: FileFacts[], config: Config, opts: { maxShare?: number; changed?: string[] } = {}): IncrementalState {
  if (config !== prev.analysis.model.config) return fullState(facts, config);
  let next: Map<string, FileFacts>;
  const changed: string[] = [];
  /** The facts each changed file had before (prev.facts may be updated in place). */
  const was = new Map<string, FileFacts | undefined>();
  if (opts.changed) {
    // The caller knows which files it re-read (and that none appeared or went): no scan of every file.
    next = prev.facts;
    const byFile = new Map<string, FileFacts>();
    const wanted = new Set(opts.changed);
    for (const f of facts) if (wanted.has(f.file)) byFile.set(f.file, f);
    for (const file of opts.changed) {
      const f = byFile.get(file);
      if (!f) return fullState(facts, config);
      if (prev.facts.get(file) === f) continue;
      changed.push(file);
      was.set(file, prev.facts.get(file));
      next.set(file, f);
    }
  } else {
    next = new Map(facts.map((f) => [f.file, f]));
    for (const [file, f] of next) if (prev.facts.get(file) !== f) changed.push(file);
    for (const file of prev.facts.keys()) if (!next.has(file)) changed.push(file);
    for (const file of changed) was.set(file, prev.facts.get(file));
  }
  if (changed.length === 0) return prev;
  const full = (): IncrementalState => fullState(facts, config);
  const seed = new Set<string>();
  const targetsNamed = new Set<string>();
  for (const file of changed) {
    const before = was.get(file);
    const after = next.get(file);
    // A file that appears, disappears or changes a name, a label or a build can move service boundaries.
    if (!before || !after || prev.signatures.get(file) !== signature(after)) return full();
    const owners = prev.servicesOf.get(file);
    if (!owners || owners.size === 0) {
      // A skipped file's notes (a YAML alias that names nothing, say) are findings of their own.
      if (before.kind === 'skipped' && after.kind === 'skipped' && sameNotes(before, after)) continue;
      return full();
    }
    for (const s of owners) seed.add(s);
    // A value may now name another service: that service's ports decide its findings.
    for (const v of varsOf(after)) {
      if (!v.value.includes(':')) continue;
      for (const r of parseRefs(v.value)) {
        const target = prev.hosts.get(r.host) ?? prev.hosts.get(r.host.split('.')[0]);
        if (target) targetsNamed.add(target);
      }
    }
  }
  if (seed.size === 0) return { ...prev, facts: next, analysis: { ...prev.analysis, facts } };
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
  // Past half the workspace, one full evaluation costs less than the bookkeeping.
  const tooMany = (): boolean => context.size > (opts.maxShare ?? 0.5) * prev.analysis.model.services.size;
  if (tooMany()) return full();
  const files = new Set<string>(changed);
  for (const s of context) for (const f of prev.filesOf.get(s) ?? []) files.add(f);
  // Findings about a file as such (malformed values, duplicates) change only with the file, or for a
  // compose file with any file of its project. Those are read whole; other compose files only for the
  // services modelled, so a shared compose file of a hundred services does not model all hundred.
  const composeDirs = new Set(changed.filter((f) => next.get(f)?.kind === 'compose' || was.get(f)?.kind === 'compose').map((f) => posix.dirname(f)));
  const fresh = new Set<string>(changed);
  for (const f of files) if (next.get(f)?.kind === 'compose' && composeDirs.has(posix.dirname(f))) fresh.add(f);
  // A render (a chart's or an overlay's environment) reports its problems at the files it read, not at
  // itself: findings about those files are made again too, from every file's facts that report there
  // (a base read by two overlays), with those files' own facts for their suppressions.
  const located = new Set<string>();
  for (const file of changed) for (const f of [was.get(file), next.get(file)]) if (f) for (const l of reportedAt(f)) if (l !== file) located.add(l);
  if (located.size) {
    for (const l of located) {
      fresh.add(l);
      if (next.has(l)) files.add(l);
    }
    for (const f of next.values()) if (!files.has(f.file) && reportedAt(f).some((l) => located.has(l))) files.add(f.file);
  }
  // Every other service these files hold is read whole, as context: a service read in part can be
  // keyed or placed otherwise than in the whole (by an image another of its files names, say), and its
  // pods may be what a judged Service selects. A compose file not read whole keeps only the context's
  // services, so it adds none.
  // One walk: a Set's iteration visits the files added while it runs.
  for (const f of files) {
    if (next.get(f)?.kind === 'compose' && !fresh.has(f)) continue;
    for (const s of prev.servicesOf.get(f) ?? []) {
      if (context.has(s)) continue;
      context.add(s);
      if (tooMany()) return full();
      for (const g of prev.filesOf.get(s) ?? []) files.add(g);
    }
  }
  // In the workspace's order, as a cold evaluation reads them: which declaration a message cites and
  // which Service of a name a host reaches ("the first of a name") depend on it.
  const subset = facts.filter((f) => files.has(f.file)).map((x) => (x.kind === 'compose' && !fresh.has(x.file) ? composeOnly(x, context) : x));
  const part = analyzeFacts(subset, config, prev.analysis.model.context, context);
  // A compose host-port clash involves every service of its project: it goes with its compose file.
  const perFile = (f: Finding): boolean => f.service === undefined || (f.rule === 'duplicate-port' && (next.get(f.loc.file) ?? was.get(f.loc.file))?.kind === 'compose');
  const keep = (f: Finding): boolean => (perFile(f) ? !fresh.has(f.loc.file) : !scope.has(f.service as string));
  const take = (f: Finding): boolean => (perFile(f) ? fresh.has(f.loc.file) : scope.has(f.service as string));
  const order = (a: Finding, b: Finding): number => a.loc.file.localeCompare(b.loc.file) || a.loc.start - b.loc.start || a.rule.localeCompare(b.rule);
  const model = mergeModel(prev.analysis.model, part.model, scope, files, fresh, next);
  mergeTargets(prev.analysis.model, part.model, model);
  const analysis: Analysis = {
    model,
    findings: [...prev.analysis.findings.filter(keep), ...part.findings.filter(take)].sort(order),
    suppressed: [...prev.analysis.suppressed.filter(keep), ...part.suppressed.filter(take)].sort(order),
    facts,
  };
  const state: IncrementalState = {
    analysis,
    facts: next,
    signatures: prev.signatures,
    filesOf: prev.filesOf,
    servicesOf: prev.servicesOf,
    callers: prev.callers,
    targets: prev.targets,
    selectedBy: prev.selectedBy,
    selects: prev.selects,
    hosts: prev.hosts,
    last: { mode: 'incremental', services: scope.size, files: files.size, scope },
  };
  for (const s of scope) {
    for (const f of state.filesOf.get(s) ?? []) state.servicesOf.get(f)?.delete(s);
    state.filesOf.delete(s);
  }
  // Only the scope's entries are rebuilt: context services were read incompletely.
  for (const s of scope) {
    for (const t of state.targets.get(s) ?? []) state.callers.get(t)?.delete(s);
    state.targets.delete(s);
  }
  indexServices(part.model, state, scope);
  for (const file of changed) {
    const f = next.get(file);
    if (f) state.signatures.set(file, signature(f));
  }
  return state;
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

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** A compose file's facts with only the named services (read for them, not for its own findings). */
function composeOnly(f: ComposeFacts, keep: Set<string>): ComposeFacts {
  return { ...f, services: f.services.filter((s) => keep.has(s.name)), problems: [], unknowns: undefined };
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
  // Units of the re-read files come from the part, the others stay. One file per unit but for compose
  // projects (several files): no array per unit for the common case.
  const byFile = <T>(a: Map<string, T[]>, b: Map<string, T[]>, inFrom: (x: T) => boolean): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const [env, list] of a) out.set(env, list.filter((x) => !inFrom(x)));
    for (const [env, list] of b) {
      const mine = list.filter(inFrom);
      if (mine.length) out.set(env, [...(out.get(env) ?? []), ...mine]);
      else if (!out.has(env)) out.set(env, []);
    }
    return out;
  };
  const workloadsByEnv = byFile(whole.workloadsByEnv, part.workloadsByEnv, (w) => files.has(w.file));
  return {
    ...whole,
    services,
    facts,
    workloadsByEnv,
    // Rules never run on a merged model; its pod index is built only if something asks.
    podIndex: lazy(() => indexPods(workloadsByEnv)),
    // Compose projects read only in part keep the whole's units; re-read ones take the part's.
    composeByEnv: byFile(whole.composeByEnv, part.composeByEnv, (u) => u.files.some((f) => fresh.has(f))),
    servicesByEnv: byFile(whole.servicesByEnv, part.servicesByEnv, (u) => files.has(u.file)),
    backendsByEnv: byFile(whole.backendsByEnv, part.backendsByEnv, (u) => files.has(u.file)),
    policiesByEnv: byFile(whole.policiesByEnv, part.policiesByEnv, (u) => files.has(u.file)),
  };
}

/** Same problems and notes (skipped-source, invalid-port at the file): nothing it reports changed. */
function sameNotes(a: FileFacts, b: FileFacts): boolean {
  const notes = (f: FileFacts): string => JSON.stringify([f.problems, f.unknowns ?? []]);
  return notes(a) === notes(b);
}
