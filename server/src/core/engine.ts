// Files in, findings out: extraction, the model, every rule, then severity and suppression applied once.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { extractFile, kindOfPath } from './classify';
import type { Config } from './config';
import { defaultConfig } from './config';
import { LIMITS } from './limits';
import { extractDotenv } from './formats/dotenv/read';
import { commentSuppressions } from './extract/suppress';
import { chartsHolding, helmRenders, helmRenderSteps, helmRerender } from './formats/helm/helm';
import type { HelmTemplates } from './formats/helm/helm-compare';
import { isKustomizationFile, kustomizePlan, kustomizeRenders, kustomizeRerender } from './formats/kustomize/kustomize';
import { renderMemo } from './extract/render';
import type { RenderMemo } from './extract/render';
import { envMatcher } from './environments';
import { buildModel } from './model';
import type { Model, ModelContext } from './model';
import { dirOf, owningDir, under } from './paths';
import { formatMessage, RULES } from './rules';
import type { FileFacts, Finding, RawFinding, SourceFile } from './types';
import type { ParsedYaml } from './yaml';

export interface Analysis {
  model: Model;
  findings: Finding[];
  /** Findings a comment, an annotation or the config suppressed: counted, not shown. */
  suppressed: Finding[];
  facts: FileFacts[];
}

/** The `.env` file of each folder, which Compose reads for interpolation. */
function dotenvByDir(files: SourceFile[]): Map<string, SourceFile> {
  const out = new Map<string, SourceFile>();
  for (const f of files) if (posix.basename(f.path) === '.env') out.set(posix.dirname(f.path), f);
  return out;
}

function variables(env: SourceFile | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  if (env) for (const v of extractDotenv(env).vars) vars[v.name] = v.value;
  return vars;
}

/** Facts kept between runs (the language server): a file is re-read only when its text or its interpolation changed. */
export type FactsCache = Map<string, { text: string; interp: string; facts: FileFacts }>;

export function isIgnored(config: Config): (path: string) => boolean {
  if (config.ignore.length === 0) return () => false;
  const m = picomatch(config.ignore, { dot: true });
  return (p) => m(p);
}

/** What the I/O layer may add to a run: `helm template`'s renders, when the user turned that on. */
export interface RunOptions {
  helmTemplates?: HelmTemplates;
}

/** The files the core reads: a kind it knows, not ignored. */
function wantedFiles(files: SourceFile[], config: Config): SourceFile[] {
  const ignored = isIgnored(config);
  return files.filter((f) => kindOfPath(f.path) !== undefined && !ignored(f.path));
}

/**
 * The costly part of the next extractAll or extractChanged with `cache`, in steps: each step renders
 * one chart environment that the cache's memo does not hold, and keeps it there. The language server
 * runs them with a pause between steps, so that it answers requests while charts render, and may stop
 * between two (what was rendered stays); the extraction that follows finds the renders in the memo.
 * Pure: the caller decides when each step runs. `options` is asked for only when a chart is looked at;
 * `changed` (the paths changed since the last extraction with `cache`, under the same config and
 * `helm template` outputs) limits the look to the charts holding them.
 */
export function* extractSteps(files: SourceFile[], config: Config, cache: FactsCache, options: () => RunOptions, changed?: string[]): Generator<string, void> {
  const memo = memoOf(cache);
  const dirs = changed && extractions.has(cache) ? chartsHolding(changed, memo) : undefined;
  if (dirs?.length === 0) return;
  const mine = dirs ? files.filter((f) => dirs.some((d) => under(d, f.path))) : files;
  yield* helmRenderSteps(wantedFiles(mine, config), envMatcher(config.environments).envOf, () => options().helmTemplates, memo);
}

function memoOf(cache: FactsCache): RenderMemo {
  let memo = memos.get(cache);
  if (!memo) memos.set(cache, (memo = renderMemo()));
  return memo;
}

/** Extracts every file the core reads; with a cache, only what changed since the last call. */
export function extractAll(files: SourceFile[], config: Config = defaultConfig(), cache?: FactsCache, options: RunOptions = {}): FileFacts[] {
  const wanted = wantedFiles(files, config);
  const envs = dotenvByDir(wanted);
  // Patches are partial manifests: read through their kustomization, never alone (their comments still suppress).
  // With a cache (the language server), charts and overlays whose inputs did not change are not rendered again.
  const memo = cache ? memoOf(cache) : undefined;
  const plan = kustomizePlan(wanted, memo);
  const patches = plan.patches;
  // Everything in a chart is read by its render (helm.ts): parsing values and templates alone too is waste.
  const charts = new Set(wanted.filter((f) => /^chart\.ya?ml$/i.test(posix.basename(f.path))).map((f) => dirOf(f.path)));
  const inChart = (p: string): boolean => charts.size > 0 && owningDir(p, charts) !== undefined;
  // A kustomization's patch or resource is parsed once, by the render: its own facts wait for that parse.
  const later = new Map<string, { i: number; f: SourceFile; interp: string }>();
  const read = (f: SourceFile, interp: string, parsed?: ParsedYaml): FileFacts => {
    const facts = ownFacts(f, interp, parsed);
    cache?.set(f.path, { text: f.text, interp, facts });
    return facts;
  };
  const out = wanted.map((f, i): FileFacts => {
    if (f.text.length > config.maxFileSize) return { kind: 'skipped', file: f.path, reason: `larger than ${config.maxFileSize} bytes`, problems: [], suppressions: [] };
    const env = envs.get(posix.dirname(f.path));
    // A patch is read with its kustomization, a chart's file with its chart; alone they only keep their
    // suppressions. The key keeps these apart from a file read for itself.
    const interp = patches.has(f.path) ? PATCH : kindOfPath(f.path) === 'yaml' && inChart(f.path) ? CHART : kindOfPath(f.path) === 'dotenv' ? '' : (env?.text ?? '');
    const hit = cache?.get(f.path);
    if (hit && hit.text === f.text && hit.interp === interp) return hit.facts;
    if (plan.inputs.has(f.path) && kindOfPath(f.path) === 'yaml') {
      later.set(f.path, { i, f, interp });
      return LATER;
    }
    return read(f, interp);
  });
  if (cache) {
    const alive = new Set(wanted.map((f) => f.path));
    for (const k of [...cache.keys()]) if (!alive.has(k)) cache.delete(k);
  }
  // Charts and overlays become one manifest set per environment; the files they consumed stop counting alone.
  const envOf = envMatcher(config.environments).envOf;
  // A file's own facts are read when a render first parses it, so that parse need not outlive the render.
  plan.sources.onFirstParse = (src, parsed) => {
    const l = later.get(src.file);
    if (l && l.f.text === src.text) {
      const f = read(l.f, l.interp, parsed);
      // A render reads it: without a cache to keep facts stable across runs, only what the stand-in keeps is kept.
      out[l.i] = cache || f.kind === 'skipped' ? f : asConsumed(f);
      later.delete(src.file);
    }
  };
  const renders = [helmRenders(wanted, envOf, options.helmTemplates, memo), kustomizeRenders(plan, envOf, memo)];
  plan.sources.onFirstParse = undefined;
  for (const { i, f, interp } of later.values()) out[i] = read(f, interp);
  const consumed = new Set(renders.flatMap((r) => [...r.consumed]));
  const own = consumed.size ? out.map((f): FileFacts => (consumed.has(f.file) && f.kind !== 'skipped' ? asConsumed(f) : f)) : out;
  const all = [...own, ...renders.flatMap((r) => r.facts)];
  if (cache) extractions.set(cache, { files: wanted, facts: all, at: new Map(all.map((f, i) => [f.file, i])), consumed, patches });
  return all;
}

/**
 * A file's own facts, read for itself with the interpolation `interp` (the text of the `.env` beside
 * it) or as a patch or a chart's file (PATCH, CHART): those keep only their suppressions.
 */
function ownFacts(f: SourceFile, interp: string, parsed?: ParsedYaml): FileFacts {
  if (interp === PATCH) return { kind: 'skipped', file: f.path, reason: 'kustomize patch', problems: [], suppressions: extractFile(f, {}, parsed).suppressions };
  if (interp === CHART) return { kind: 'skipped', file: f.path, reason: 'part of a Helm chart', problems: [], suppressions: commentSuppressions(f.text) };
  return extractFile(f, interp ? variables({ path: posix.join(posix.dirname(f.path), '.env'), text: interp }) : {}, parsed);
}

const PATCH = '\0kustomize patch';
/** A slot filled after the renders. */
const LATER: FileFacts = { kind: 'skipped', file: '', reason: '', problems: [], suppressions: [] };
const CHART = '\0helm chart';

/** The same stand-in each time for the same facts, so an unchanged consumed file looks unchanged. */
const consumedFacts = new WeakMap<FileFacts, FileFacts>();
function asConsumed(f: FileFacts): FileFacts {
  let c = consumedFacts.get(f);
  if (!c) consumedFacts.set(f, (c = { kind: 'skipped', file: f.file, reason: 'rendered by a chart or kustomization', problems: f.problems, unknowns: f.kind === 'kubernetes' ? undefined : f.unknowns, suppressions: f.suppressions }));
  return c;
}

/** The renders kept with each cache (extract/render.ts). */
const memos = new WeakMap<FactsCache, RenderMemo>();

/** The last extraction made with a cache: what extractChanged starts from. */
const extractions = new WeakMap<FactsCache, { files: SourceFile[]; facts: FileFacts[]; at: Map<string, number>; consumed: Set<string>; patches: Set<string> }>();

/** What extractChanged gives back: every file's facts, and the facts (by file) that are new. */
export interface ChangedFacts {
  facts: FileFacts[];
  changed: string[];
}

/**
 * The language server's fast path after an edit: re-extracts only the changed files, when none of them
 * can change which files are read or how (not a `.env` that compose interpolates, not a new or removed
 * file). A changed patch, base resource, kustomization or chart file (Chart.yaml included) renders
 * again the kept overlays and charts that read it; a kustomization that now takes in other files, or
 * a chart whose environments change, sends the caller to extractAll. Undefined when extractAll must run instead.
 */
export function extractChanged(changed: SourceFile[], config: Config, cache: FactsCache): ChangedFacts | undefined {
  const last = extractions.get(cache);
  if (!last) return undefined;
  const facts = [...last.facts];
  const touched: string[] = [];
  const inputs: SourceFile[] = [];
  for (const f of changed) {
    const i = last.at.get(f.path);
    const base = posix.basename(f.path);
    if (i === undefined || base === '.env') return undefined;
    if (f.text.length > config.maxFileSize) return undefined;
    const hit = cache.get(f.path);
    if (hit && hit.text === f.text) continue;
    // A kustomization is always one: an edit can make it a render (a component no longer one, say).
    const input = last.consumed.has(f.path) || last.patches.has(f.path) || isKustomizationFile(f.path);
    if (input && !hit) return undefined;
    const interp = hit?.interp ?? '';
    const next = ownFacts(f, interp);
    cache.set(f.path, { text: f.text, interp, facts: next });
    facts[i] = last.consumed.has(f.path) && next.kind !== 'skipped' ? asConsumed(next) : next;
    touched.push(f.path);
    if (input) inputs.push(f);
  }
  const edited = new Map(changed.map((f) => [f.path, f]));
  const files = last.files.map((f) => edited.get(f.path) ?? f);
  if (inputs.length) {
    const memo = memos.get(cache);
    if (!memo) return undefined;
    const paths = inputs.map((f) => f.path);
    const kust = kustomizeRerender(files, paths, memo);
    if (!kust) return undefined;
    const renders = [...kust.facts];
    // What no overlay reads is a chart's.
    const rest = paths.filter((p) => !kust.read.has(p));
    if (rest.length) {
      const again = helmRerender(files, envMatcher(config.environments).envOf, rest, memo);
      if (!again) return undefined;
      renders.push(...again);
    }
    for (const r of renders) {
      const i = last.at.get(r.file);
      // A render that was not there before (or is gone) changes which facts exist: the slow path.
      if (i === undefined) return undefined;
      if (facts[i] !== r) touched.push(r.file);
      facts[i] = r;
    }
  }
  extractions.set(cache, { ...last, files, facts });
  return { facts, changed: touched };
}

/**
 * `context`: the whole workspace's, when `facts` are only part of it (see incremental.ts); `only`: the
 * services to judge there (others read along, such as the rest of a shared compose file, are dropped first).
 */
export function analyzeFacts(facts: FileFacts[], config: Config = defaultConfig(), context?: ModelContext, only?: Set<string>): Analysis {
  const model = buildModel(facts, config, context);
  if (only) for (const name of [...model.services.keys()]) if (!only.has(name)) model.services.delete(name);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of RULES) {
    const setting = config.rules[rule.id] ?? rule.defaultSeverity;
    if (setting === 'off') continue;
    let raw: RawFinding[];
    try {
      raw = rule.check(model);
    } catch (e) {
      // A rule that fails on odd input must not take the others down.
      raw = [];
      console.error(`port-parity: rule ${rule.id} failed: ${(e as Error).stack ?? e}`);
    }
    for (const r of raw) {
      const key = `${r.rule}|${r.loc.file}|${r.loc.start}|${r.loc.end}`;
      if (seen.has(key)) continue;
      let message: string;
      try {
        message = formatMessage(rule.meta, r.messageId, r.data);
      } catch (e) {
        // A message the rule does not declare, or data that does not fit it: that finding is left out, said.
        console.error(`port-parity: finding of ${rule.id} at ${r.loc.file}:${r.loc.line + 1} left out: ${(e as Error).message}`);
        continue;
      }
      seen.add(key);
      const f: Finding = { ...r, message: clip(message), severity: setting };
      (isSuppressed(model, f) ? suppressed : findings).push(f);
    }
  }
  // A finding on a Helm values line also points at the template line that uses the value.
  const vias = facts.flatMap((f) => (f.kind === 'kubernetes' && f.vias ? [f.vias] : []));
  if (vias.length) {
    for (const f of [...findings, ...suppressed]) {
      const v = vias.map((m) => m.get(`${f.loc.file}|${f.loc.start}`)).find((x) => x);
      if (v && !f.related.some((r) => r.loc.file === v.loc.file && r.loc.start === v.loc.start)) f.related = [...f.related, { loc: v.loc, message: `used by ${v.text}` }];
    }
  }
  const order = (a: Finding, b: Finding): number => a.loc.file.localeCompare(b.loc.file) || a.loc.start - b.loc.start || a.rule.localeCompare(b.rule);
  findings.sort(order);
  suppressed.sort(order);
  return { model, findings, suppressed, facts };
}

export function analyze(files: SourceFile[], config: Config = defaultConfig(), options: RunOptions = {}): Analysis {
  return analyzeFacts(extractAll(files, config, undefined, options), config);
}

/** A message that quotes a huge token (`EXPOSE [[[[…`) keeps its first LIMITS.messageChars characters. */
function clip(message: string): string {
  const max = LIMITS.messageChars;
  if (message.length <= max) return message;
  const end = /[\uD800-\uDBFF]/.test(message[max - 1]) ? max - 1 : max;
  return `${message.slice(0, end)}… (${message.length - end} more characters)`;
}

function isSuppressed(model: Model, f: Finding): boolean {
  const facts = model.facts.get(f.loc.file);
  if (!facts) return false;
  return facts.suppressions.some((s) => f.loc.line >= s.fromLine && f.loc.line <= s.toLine && (s.rules.includes(f.rule) || s.rules.includes('*')));
}
