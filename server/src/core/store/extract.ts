// One extraction, cold or after an edit: each unit is taken from the store and run again only when a read it made reads differently.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { extractFile, kindOfPath } from '../classify';
import type { Config } from '../config';
import { defaultConfig } from '../config';
import { envMatcher } from '../environments';
import { commentSuppressions } from '../extract/suppress';
import { extractDotenv } from '../formats/dotenv/read';
import { chartsHolding, helmRenders, helmRenderSteps, helmRerender } from '../formats/helm/helm';
import type { HelmTemplates } from '../formats/helm/helm-compare';
import { kustomizePlan, kustomizeRenders, kustomizeRerender } from '../formats/kustomize/kustomize';
import { gitopsDeclares, gitopsRenders, gitopsTouched } from '../formats/gitops/plan';
import { dirOf, owningDir, under } from '../paths';
import { unreadFacts } from '../unread';
import type { EnvVar, FileFacts, SourceFile } from '../types';
import type { ParsedYaml } from '../yaml';
import { sameTemplates, Store } from './store';
import type { Edit, LastRun, Role } from './store';

/** What the I/O layer may add to a run: `helm template`'s renders, when the user turned that on. */
export interface RunOptions {
  helmTemplates?: HelmTemplates;
  /**
   * The files that may have changed since the store's last extraction, when the caller tracks them
   * (the language server's edits and watcher events): only those are compared with what the store
   * read. Without it, every file is.
   */
  edits?: Edit[];
}

/** What an extraction gives back. */
export interface Extraction {
  /** Every file's facts, then the renders', in the order of the files (the same for a cold run and after an edit). */
  facts: FileFacts[];
  /** The files whose facts are not the same objects as after the store's last extraction (those that appeared or went included). */
  changed: string[];
  /**
   * Which units were looked at: only those that read an edited file (`edited`), or every unit (`all`:
   * the first run, another config or `helm template` output, a file that appeared or went, or an edit
   * that changes what a chart or a kustomization takes in), each still run again only when its reads changed.
   */
  looked: 'edited' | 'all';
}

export function isIgnored(config: Config): (path: string) => boolean {
  if (config.ignore.length === 0) return () => false;
  const m = picomatch(config.ignore, { dot: true });
  return (p) => m(p);
}

/** The files the core reads: a kind it knows, not ignored. */
function wantedFiles(files: SourceFile[], config: Config): SourceFile[] {
  const ignored = isIgnored(config);
  return files.filter((f) => kindOfPath(f.path) !== undefined && !ignored(f.path));
}

/** A one-off run's facts: the extraction with an empty store. */
export function extractAll(files: SourceFile[], config: Config = defaultConfig(), options: RunOptions = {}): FileFacts[] {
  return extract(files, config, new Store(), options).facts;
}

/**
 * Extracts every file the core reads, taking from `store` each unit whose reads read the same and
 * keeping there what it runs: with an empty store this is the cold run, after an edit it runs again
 * only what read the edited files. The facts equal a cold run's, in the same order.
 */
export function extract(files: SourceFile[], config: Config = defaultConfig(), store: Store = new Store(), options: RunOptions = {}): Extraction {
  const was = store.last;
  store.configure(config);
  const kept = store.last;
  const edited = kept && sameTemplates(kept.helm, options.helmTemplates) ? store.edits(files, options.edits) : undefined;
  if (kept && edited?.length === 0) return { facts: kept.facts, changed: [], looked: 'edited' };
  const quick = edited && afterEdits(edited, config, store, options, kept as LastRun);
  if (quick) {
    store.remember(files, edited);
    return quick;
  }
  const { wanted, facts, consumed } = everyUnit(files, config, store, options);
  store.remember(files, undefined);
  store.last = { wanted, wantedAt: new Map(wanted.map((f, i) => [f.path, i])), facts, at: new Map(facts.map((f, i) => [f.file, i])), consumed, helm: options.helmTemplates };
  const before = new Map(was?.facts.map((f) => [f.file, f]));
  const changed = facts.filter((f) => before.get(f.file) !== f).map((f) => f.file);
  for (const file of before.keys()) if (!store.last.at.has(file)) changed.push(file);
  return { facts, changed, looked: 'all' };
}

/**
 * The units that read the edited files, run again: the files themselves, the compose files that read an
 * edited `.env`, the overlays and charts that read any. Undefined when the edits can change which units
 * there are or what they take in (a kustomization that now lists other files, a render that now gives
 * other environments or consumes other files): then every unit is looked at.
 */
function afterEdits(edited: SourceFile[], config: Config, store: Store, options: RunOptions, last: LastRun): Extraction | undefined {
  // Files the core does not read (ignored, or of no kind it knows) are read by no unit either.
  const mine = edited.filter((f) => store.files.has(f.path));
  for (const f of mine) last.wanted[last.wantedAt.get(f.path) as number] = f;
  const facts = [...last.facts];
  const changed: string[] = [];
  const put = (f: FileFacts): boolean => {
    const i = last.at.get(f.file);
    if (i === undefined) return false;
    if (facts[i] !== f) {
      facts[i] = f;
      changed.push(f.file);
    }
    return true;
  };
  const byPath = new Map(mine.map((f) => [f.path, f]));
  const envBeside = (path: string): SourceFile | undefined => {
    const p = posix.join(posix.dirname(path), '.env');
    const unit = store.files.get(p);
    return byPath.get(p) ?? (unit && { path: p, text: unit.text });
  };
  const envDirs = new Set(mine.filter((f) => posix.basename(f.path) === '.env').map((f) => posix.dirname(f.path)));
  const again = [...mine];
  if (envDirs.size) for (const [path, unit] of store.files) if (unit.env && envDirs.has(posix.dirname(path)) && !byPath.has(path)) again.push({ path, text: unit.text });
  for (const f of again) {
    const own = readUnit(store, config, f, store.files.get(f.path)?.role ?? 'own', envBeside(f.path));
    put(last.consumed.has(f.path) && own.kind !== 'skipped' ? asConsumed(store, own) : own);
  }
  // What GitOps files declare decides which runs charts and overlays have: looked at whole.
  if (gitopsTouched(mine, store.renders)) return undefined;
  const paths = mine.map((f) => f.path);
  const now = (): SourceFile[] => last.wanted;
  const kust = kustomizeRerender(now, paths, store.renders);
  if (!kust) return undefined;
  // What no overlay reads may be a chart's.
  const rest = paths.filter((p) => !kust.read.has(p) && owningDir(p, store.renders.charts) !== undefined);
  const charts = rest.length ? helmRerender(now(), envMatcher(config.environments).envOf, rest, store.renders, options.helmTemplates) : [];
  if (!charts) return undefined;
  for (const r of [...kust.facts, ...charts]) if (!put(r)) return undefined;
  store.last = { ...last, facts };
  return { facts, changed, looked: 'edited' };
}

/** Every unit looked at (each taken from the store while its reads read the same): the cold run, and the run after an edit that can change which units there are. */
function everyUnit(files: SourceFile[], config: Config, store: Store, options: RunOptions): { wanted: SourceFile[]; facts: FileFacts[]; consumed: Set<string> } {
  const wanted = wantedFiles(files, config);
  const envs = new Map<string, SourceFile>();
  for (const f of wanted) if (posix.basename(f.path) === '.env') envs.set(posix.dirname(f.path), f);
  const envBeside = (f: SourceFile): SourceFile | undefined => envs.get(posix.dirname(f.path));
  const memo = store.renders;
  // Patches are partial manifests: read through their kustomization, never alone (their comments still suppress).
  const plan = kustomizePlan(wanted, memo);
  // Everything in a chart is read by its render (helm.ts): parsing values and templates alone too is waste.
  const charts = new Set(wanted.filter((f) => /^chart\.ya?ml$/i.test(posix.basename(f.path))).map((f) => dirOf(f.path)));
  const inChart = (p: string): boolean => charts.size > 0 && owningDir(p, charts) !== undefined;
  // A kustomization's patch or resource is parsed once, by the render: its own facts wait for that parse.
  const later = new Map<string, { i: number; f: SourceFile; role: Role }>();
  const out = wanted.map((f, i): FileFacts | undefined => {
    const role: Role = plan.patches.has(f.path) ? 'patch' : kindOfPath(f.path) === 'yaml' && inChart(f.path) ? 'chart' : 'own';
    const hit = store.files.get(f.path);
    if (hit && hit.text === f.text && hit.role === role && (!hit.env || hit.env.text === envBeside(f)?.text)) return hit.facts;
    if (plan.inputs.has(f.path) && kindOfPath(f.path) === 'yaml' && f.text.length <= config.maxFileSize) {
      later.set(f.path, { i, f, role });
      return undefined;
    }
    return readUnit(store, config, f, role, envBeside(f));
  });
  const alive = new Set(wanted.map((f) => f.path));
  for (const p of [...store.files.keys()]) if (!alive.has(p)) store.files.delete(p);
  // A file's own facts are read when a render first parses it, so that parse need not outlive the render.
  plan.sources.onFirstParse = (src, parsed) => {
    const l = later.get(src.file);
    if (l && l.f.text === src.text) {
      out[l.i] = readUnit(store, config, l.f, l.role, envBeside(l.f), parsed);
      later.delete(src.file);
    }
  };
  // Charts and overlays become one manifest set per environment; the files they consumed stop counting alone.
  const envOf = envMatcher(config.environments).envOf;
  const gitops = gitopsRenders(wanted, envOf, memo);
  const renders = [helmRenders(wanted, envOf, options.helmTemplates, memo), kustomizeRenders(plan, envOf, memo, gitops.overlays), gitops.renders];
  plan.sources.onFirstParse = undefined;
  for (const { i, f, role } of later.values()) out[i] = readUnit(store, config, f, role, envBeside(f));
  const consumed = new Set(renders.flatMap((r) => [...r.consumed]));
  const own = (out as FileFacts[]).map((f) => (consumed.has(f.file) && f.kind !== 'skipped' ? asConsumed(store, f) : f));
  return { wanted, facts: [...own, ...renders.flatMap((r) => r.facts)], consumed };
}

/**
 * A file read for itself, kept in the store with what it read: alone (its `.env` read only when a
 * plug-in asks for it: Compose's interpolation), or as a patch or a chart's file, which keep only
 * their suppressions. `parsed`: the parse a render made of it.
 */
function readUnit(store: Store, config: Config, f: SourceFile, role: Role, env: SourceFile | undefined, parsed?: ParsedYaml): FileFacts {
  let read: { text: string | undefined } | undefined;
  const interpolation = (): EnvVar[] => {
    read = { text: env?.text };
    return env ? extractDotenv(env).vars : [];
  };
  const facts: FileFacts =
    f.text.length > config.maxFileSize ? unreadFacts([{ path: f.path, reason: `larger than ${config.maxFileSize} bytes` }])[0]
    : role === 'patch' ? { kind: 'skipped', file: f.path, reason: 'kustomize patch', problems: [], suppressions: extractFile(f, {}, parsed).suppressions }
    : role === 'chart' ? { kind: 'skipped', file: f.path, reason: 'part of a Helm chart', problems: [], suppressions: commentSuppressions(f.text) }
    : extractFile(f, interpolation, parsed);
  store.files.set(f.path, { text: f.text, role, env: read, facts });
  return facts;
}

/** The same stand-in each time for the same facts, so an unchanged consumed file looks unchanged. */
function asConsumed(store: Store, f: FileFacts): FileFacts {
  let c = store.standIns.get(f);
  if (!c) store.standIns.set(f, (c = { kind: 'skipped', file: f.file, reason: 'rendered by a chart or kustomization', problems: f.problems, unknowns: f.kind === 'kubernetes' ? undefined : f.unknowns, suppressions: f.suppressions }));
  return c;
}

/**
 * The costly part of the next extraction with `store`, in steps: each step renders one chart
 * environment the store does not hold, and keeps it there. The language server runs them with a pause
 * between steps, so that it answers requests while charts render, and may stop between two (what was
 * rendered stays); the extraction that follows finds the renders in the store. Pure: the caller decides
 * when each step runs. After edits (with the same `helm template` outputs), only the charts holding an
 * edited file are looked at.
 */
export function* extractSteps(files: SourceFile[], config: Config, store: Store, options: () => RunOptions): Generator<string, void> {
  store.configure(config);
  let opts: RunOptions | undefined;
  const helm = (): HelmTemplates | undefined => (opts ??= options()).helmTemplates;
  const edited = store.last && sameTemplates(store.last.helm, helm()) ? store.edits(files, opts?.edits) : undefined;
  // With GitOps declarations a chart's runs are read from files outside it: every chart is looked at (each kept while its inputs are the same).
  const dirs = edited && !gitopsDeclares(store.renders) ? chartsHolding(edited.map((f) => f.path), store.renders) : undefined;
  if (dirs?.length === 0) return;
  const mine = dirs ? files.filter((f) => dirs.some((d) => under(d, f.path))) : files;
  yield* helmRenderSteps(wantedFiles(mine, config), envMatcher(config.environments).envOf, helm, store.renders);
}
