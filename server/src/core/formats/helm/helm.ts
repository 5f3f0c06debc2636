// Helm charts rendered per environment from their values files, with every location mapped back to the source that set it.
import { posix } from 'node:path';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { archiveOf, dirOf, owningDir, under } from '../../paths';
import { LineIndex } from '../../text';
import type { K8sFacts, Loc, Problem, SourceFile } from '../../types';
import { get, parseYaml, str as yamlStr } from '../../yaml';
import type { YamlDoc } from '../../yaml';
import { EvalBudget, plainVal, renderTemplate, Runaway } from './helm-eval';
import { deepCopy } from './helm-funcs-data';
import { capabilities, filesObject } from './helm-objects';
import type { ActionOut, Aside, ChartContext, Hole, Rich } from './helm-eval';
import { parseTemplate, TemplateSyntaxError } from './helm-template';
import type { ParsedTemplate, TNode } from './helm-template';
import { mergeValues, readValues } from './helm-values';
import type { Part, Val } from './helm-values';
import { validateValues } from './helm-schema';
import { assemble, dependenciesOf, isEnabled, subchartsOf } from './helm-deps';
import type { Dependency, SubRun } from './helm-deps';
import { compareWithHelm, helmProblems, helmTemplateKey, withoutHooks } from './helm-compare';
import type { HelmMismatch, HelmTemplates } from './helm-compare';
import { extractKubernetes } from '../kubernetes/read';
import { sameInputs } from '../../extract/render';
import type { EnvOf, RenderMemo, Renders } from '../../extract/render';
import { gitopsPlan, withDeclared } from '../gitops/plan';
import type { DeclaredRelease, EnvRun } from '../gitops/plan';
import { layerValues } from '../gitops/layers';

interface Chart {
  dir: string;
  name: string;
  meta: Val;
  library: boolean;
  files: SourceFile[];
  /** Files under templates/ that render (not partials). */
  manifests: SourceFile[];
  /** Every template file (manifests and partials), for the named templates. */
  templates: SourceFile[];
  values?: SourceFile;
  /** values.schema.json: helm refuses values it rejects. */
  schema?: SourceFile;
  /** Environment values files of a chart that is not a subchart, in path order. */
  envValues: { env: string; file: SourceFile }[];
  dependencies: Dependency[];
  subcharts: Chart[];
  parent?: Chart;
  /** The chart's other files Port Parity reads (not templates, not Chart.yaml): what `.Files` offers. */
  others: SourceFile[];
  /** The releases GitOps files declare of the chart (formats/gitops). */
  releases?: DeclaredRelease[];
}

const ENV_VALUES: RegExp[] = [
  /^values[-.]([^/]+)\.ya?ml$/,
  /^([^/]+)[-.]values\.ya?ml$/,
  /^values\/([^/]+)\.ya?ml$/,
  /^(?:env|envs|environments)\/([^/]+)\/values\.ya?ml$/,
];

const PORT_TEXT = /\b(containerPort|targetPort|hostPort|servicePort|nodePort|port|ports)\s*:|\.[\w.]*[pP]orts?\b/;

/** Helm's rule for a release name (chartutil.ValidateReleaseName): a DNS subdomain of at most 53 characters. */
export function isReleaseName(name: string): boolean {
  return name.length <= 53 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
}

/**
 * The release name both `helm template` and the evaluator's `.Release.Name` use: the chart's name when
 * helm accepts it as a release name, else the name made into one (a name like `--post-renderer=x`
 * must never reach helm's command line as it is).
 */
function releaseName(chartName: string): string {
  if (isReleaseName(chartName)) return chartName;
  const name = chartName.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 53).replace(/^-+|-+$/g, '');
  return name || 'release';
}

function rel(dir: string, p: string): string {
  return dir ? p.slice(dir.length + 1) : p;
}

/** Chart.yaml's fields as `.Chart` spells them (`appVersion` → `AppVersion`). */
function chartMeta(file: string, root: Node | null | undefined): { meta: Val; name: string; library: boolean; dependencies: Dependency[] } {
  const fields: Record<string, unknown> = {};
  const special: Record<string, string> = { apiVersion: 'APIVersion', appVersion: 'AppVersion', kubeVersion: 'KubeVersion' };
  if (isMap(root)) {
    for (const it of root.items) {
      if (!isPair(it) || !isScalar(it.key)) continue;
      const k = String(it.key.value);
      const v = it.value as Node | null;
      const key = special[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
      if (isScalar(v)) fields[key] = v.value === null ? undefined : v.value;
      else if (v && typeof (v as { toJSON?: unknown }).toJSON === 'function') fields[key] = (v as { toJSON: () => unknown }).toJSON();
    }
  }
  return { meta: plainVal(fields), name: typeof fields.Name === 'string' ? fields.Name : '', library: fields.Type === 'library', dependencies: dependenciesOf(file, root) };
}

/** Whether Chart.yaml's `apiVersion` is v1, as helm's loader takes a chart that names none (helm 2's charts). */
function isV1(meta: Val): boolean {
  const v = meta.k === 'map' ? meta.v.get('APIVersion') : undefined;
  return !v || v.k === 'nil' || (v.k === 'str' && (v.v === '' || v.v === 'v1'));
}

/** The charts of the workspace (a folder with Chart.yaml), subcharts hung under their parents. */
function findCharts(files: SourceFile[], envOf: EnvOf, memo?: RenderMemo, prune = true): Chart[] {
  const byDir = new Map<string, Chart>();
  for (const f of files) {
    if (posix.basename(f.path) !== 'Chart.yaml') continue;
    const dir = dirOf(f.path);
    // Chart.yaml is read again only when it changed (the store's memo).
    const hit = memo?.chartYaml.get(f.path);
    const m = hit && hit.text === f.text ? (hit.meta as ReturnType<typeof chartMeta>) : chartMeta(f.path, parseYaml(f.text).docs[0]?.contents as Node | null | undefined);
    memo?.chartYaml.set(f.path, { text: f.text, meta: m });
    const { meta, name, library, dependencies } = m;
    byDir.set(dir, { dir, name: name || posix.basename(dir) || 'chart', meta, library, files: [f], manifests: [], templates: [], envValues: [], dependencies: [...dependencies], subcharts: [], others: [] });
  }
  if (memo && prune && memo.chartYaml.size > byDir.size) {
    const live = new Set(files.map((f) => f.path));
    for (const p of [...memo.chartYaml.keys()]) if (!live.has(p)) memo.chartYaml.delete(p);
  }
  if (byDir.size === 0) return [];
  // Each file belongs to the deepest chart that holds it: the first folder up from it with a Chart.yaml.
  for (const f of files) {
    const owner = owningDir(f.path, byDir);
    const chart = owner === undefined ? undefined : byDir.get(owner);
    if (!chart) continue;
    const dir = chart.dir;
    const r = rel(dir, f.path);
    if (r === 'Chart.yaml') continue;
    // `.Files` is what helm's loader leaves there: not templates/, charts/, values.yaml and the chart's own metadata
    // (requirements.yaml/.lock are among the files of an apiVersion v1 chart, as helm's loader keeps them).
    const v1 = isV1(chart.meta);
    if (!/^(templates|charts)\/|^(values\.yaml|values\.schema\.json|Chart\.lock)$/.test(r) && (v1 || !/^requirements\.(yaml|lock)$/.test(r))) chart.others.push(f);
    if (r.startsWith('templates/')) {
      if (!/\.(ya?ml|tpl)$/i.test(r)) continue;
      chart.files.push(f);
      chart.templates.push(f);
      const base = posix.basename(r);
      if (!base.startsWith('_') && /\.ya?ml$/i.test(base)) chart.manifests.push(f);
      continue;
    }
    if (/^values\.ya?ml$/.test(r)) {
      chart.values = f;
      chart.files.push(f);
      continue;
    }
    if (r === 'values.schema.json') {
      chart.schema = f;
      chart.files.push(f);
      continue;
    }
    if (r === 'requirements.yaml') {
      chart.files.push(f);
      // Helm's loader reads requirements.yaml over Chart.yaml's fields: its `dependencies:`, when it has one, are the
      // chart's and Chart.yaml's are not (helm warns when the chart is not apiVersion v1, and still does so).
      const root = parseYaml(f.text).docs[0]?.contents as Node | null | undefined;
      if (isMap(root) && root.items.some((it) => isPair(it) && isScalar(it.key) && it.key.value === 'dependencies')) chart.dependencies = dependenciesOf(f.path, root);
      continue;
    }
    for (const re of ENV_VALUES) {
      const m = re.exec(r);
      if (!m) continue;
      // Only a name that means an environment (prod, staging, a configured one); `values-minimal.yaml` is a variant.
      const env = envOf(m[1]);
      if (env) {
        chart.envValues.push({ env, file: f });
        chart.files.push(f);
      }
      break;
    }
  }
  const roots: Chart[] = [];
  for (const c of [...byDir.values()].sort((a, b) => a.dir.localeCompare(b.dir))) {
    const parentDir = parentChartDir(c.dir);
    const parent = parentDir !== undefined ? byDir.get(parentDir) : undefined;
    if (parent && parent !== c) {
      c.parent = parent;
      parent.subcharts.push(c);
    } else roots.push(c);
  }
  for (const c of byDir.values()) c.envValues.sort((a, b) => a.file.path.localeCompare(b.file.path));
  return roots;
}

/**
 * The folder of the chart whose subchart lies at `dir`: `p` of `p/charts/sub`, and of
 * `p/charts/sub-1.2.3.tgz/sub` (an archive the host read as the files it holds).
 */
function parentChartDir(dir: string): string | undefined {
  const up = dirOf(dir);
  if (posix.basename(up) === 'charts') return dirOf(up);
  if (/\.tgz$/i.test(posix.basename(up)) && posix.basename(dirOf(up)) === 'charts') return dirOf(dirOf(up));
  return undefined;
}

/** The charts, each with the releases GitOps files declare of it (formats/gitops/plan.ts). */
function chartsOf(files: SourceFile[], envOf: EnvOf, memo?: RenderMemo, prune = true): Chart[] {
  const charts = findCharts(files, envOf, memo, prune);
  const declared = charts.length ? gitopsPlan(files, envOf).charts : undefined;
  for (const c of charts) c.releases = declared?.get(c.dir);
  return charts;
}

function allCharts(c: Chart): Chart[] {
  return [c, ...c.subcharts.flatMap(allCharts)];
}

/** Maps rendered offsets back to the source of each character. */
class SourceMap {
  private readonly index = new Map<string, LineIndex>();
  private readonly texts = new Map<string, string>();
  constructor(files: SourceFile[]) {
    for (const f of files) {
      this.index.set(f.path, new LineIndex(f.path, f.text));
      this.texts.set(f.path, f.text);
    }
  }
  loc(file: string, start: number, end: number): Loc {
    const ix = this.index.get(file) ?? new LineIndex(file, '');
    return ix.loc(start, end);
  }
  /** A template expression as messages quote it: `{{ .Values.port }}`, whatever its trim markers. */
  snippet(file: string, start: number, end: number): string {
    const inner = (this.texts.get(file) ?? '').slice(start + 2, end - 2).replace(/^-\s/, '').replace(/\s-$/, '').trim();
    return `{{ ${inner.replace(/\s+/g, ' ')} }}`;
  }
  /**
   * The source of `[s, e)` of a render; `exact`: the source spells the rendered text char for char.
   * A range that mixes sources (`"{{ .Values.host }}:8080"`) maps to the template text that writes it.
   */
  map(r: Rich, actions: ActionOut[], s: number, e: number, fallback: string): { loc: Loc; exact: boolean; tpl: boolean } {
    const m = this.source(r, actions, s, e, fallback);
    if (m.exact) return m;
    // A length that matches by chance must not pass for the rendered text (consumers compare lengths).
    const src = this.texts.get(m.loc.file)?.slice(m.loc.start, m.loc.end);
    if (m.loc.end - m.loc.start === e - s && src !== r.text.slice(s, e)) return { ...m, loc: this.loc(m.loc.file, m.loc.start, m.loc.start) };
    return m;
  }

  private source(r: Rich, actions: ActionOut[], s: number, e: number, fallback: string): { loc: Loc; exact: boolean; tpl: boolean } {
    const p = partAt(r.parts, s);
    const q = partAt(r.parts, Math.max(s, e - 1));
    if (!p || !q) return { loc: this.loc(fallback, 0, 0), exact: false, tpl: true };
    if (p === q && e <= p.to) {
      if (p.map.kind === 'whole') return { loc: p.map.loc, exact: false, tpl: p.map.tpl };
      const at = p.map.at + s - p.from;
      return { loc: this.loc(p.map.file, at, at + (e - s)), exact: true, tpl: p.map.tpl };
    }
    // In template coordinates: template text maps char for char, an action's output to the action.
    const side = (i: number, part: Part, end: boolean): { file: string; at: number } | undefined => {
      if (part.map.kind === 'linear' && part.map.tpl) return { file: part.map.file, at: part.map.at + (end ? i + 1 : i) - part.from };
      const a = actions.find((x) => x.from <= i && i < x.to);
      return a ? { file: a.file, at: end ? a.end : a.start } : undefined;
    };
    const a = side(s, p, false);
    const b = side(Math.max(s, e - 1), q, true);
    if (a && b && a.file === b.file && b.at >= a.at) return { loc: this.loc(a.file, a.at, b.at), exact: false, tpl: true };
    const whole = r.parts.find((x) => x.from < e && x.to > s && x.map.kind === 'whole');
    if (whole && whole.map.kind === 'whole') return { loc: whole.map.loc, exact: false, tpl: whole.map.tpl };
    if (p.map.kind === 'linear') return { loc: this.loc(p.map.file, p.map.at + s - p.from, p.map.at + s - p.from), exact: false, tpl: p.map.tpl };
    return { loc: this.loc(fallback, 0, 0), exact: false, tpl: true };
  }
}

/** The part that holds offset `i` (or the last one before it). */
function partAt(parts: Part[], i: number): Part | undefined {
  let lo = 0;
  let hi = parts.length - 1;
  let best: Part | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (parts[mid].from <= i) {
      best = parts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function isLoc(x: unknown): x is Loc {
  return !!x && typeof x === 'object' && typeof (x as Loc).file === 'string' && typeof (x as Loc).start === 'number' && typeof (x as Loc).endCol === 'number';
}

/**
 * Replaces every Loc of facts extracted from a render by its source. A `literal` stays true only
 * where the source spells the number exactly, in a file a fix may edit.
 */
function remap(node: unknown, mapLoc: (l: Loc) => { loc: Loc; editable: boolean }): void {
  if (Array.isArray(node)) {
    for (const x of node) remap(x, mapLoc);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (isLoc(v)) {
      const m = mapLoc(v);
      o[k] = m.loc;
      if ((k === 'loc' || k === 'valueLoc') && typeof o.literal === 'boolean') o.literal = o.literal && m.editable;
    } else if (v && typeof v === 'object') remap(v, mapLoc);
  }
}

/** The map keys leading to the YAML node at `at`, and the map holding the last key. */
function pathAt(docs: YamlDoc[], at: number): { keys: string[]; holder?: Node; node?: Node } | undefined {
  const inside = (n: Node | null | undefined): boolean => !!n && !!n.range && n.range[0] <= at && at <= n.range[1];
  const walk = (n: Node | null | undefined, keys: string[], holder: Node | undefined): { keys: string[]; holder?: Node; node?: Node } | undefined => {
    if (isMap(n)) {
      for (const it of n.items) {
        if (!isPair(it) || !isScalar(it.key)) continue;
        const v = it.value as Node | null;
        if (v && inside(v)) return walk(v, [...keys, String(it.key.value)], n);
      }
      return inside(n) ? { keys, holder, node: n } : undefined;
    }
    if (isSeq(n)) {
      for (const it of n.items as Node[]) if (inside(it)) return walk(it, [...keys, '#'], n);
      return inside(n) ? { keys, holder, node: n } : undefined;
    }
    return inside(n) ? { keys, holder, node: n ?? undefined } : undefined;
  };
  for (const d of docs) {
    const r = walk(d.contents as Node | null, [], undefined);
    if (r) return r;
  }
  return undefined;
}

/** Whether a value left out of a render stood where a port goes (a port field, a port name, a PORT variable, a flag). */
function inPortField(docs: YamlDoc[], text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const prefix = text.slice(lineStart, at);
  if (/(^|\s)#/.test(prefix)) return false;
  const p = pathAt(docs, at);
  const last = p?.keys[p.keys.length - 1];
  if (p && last !== undefined) {
    if (/ports?$/i.test(last) || last === 'number' || /Probe$/.test(last) || last === 'httpGet' || last === 'tcpSocket' || last === 'grpc') return true;
    if (last === 'name' && p.keys[p.keys.length - 3] === 'ports') return true;
    if (last === 'value' && /PORT/i.test(yamlStr(get(p.holder, 'name')) ?? '')) return true;
    if (last === '#' && /^(args|command)$/.test(p.keys[p.keys.length - 2] ?? '')) return /port|listen|bind|addr/i.test(yamlStr(p.node) ?? '');
    if (/^(args|command)$/.test(last)) return /port|listen|bind|addr/i.test(yamlStr(p.node) ?? '');
    return false;
  }
  return /(^|[\s{,-])["']?[\w-]*([pP]orts?|number|Probe)["']?\s*:\s*["']?$/.test(prefix);
}

interface Rendering {
  facts: K8sFacts;
  /** The release's values (helm reads `tags:` there, whichever chart's dependency names them). */
  top: Val;
  map: SourceMap;
  allowTemplateEdits: boolean;
  /** Expand and parse only (the benchmark's floor): no facts are read from the render. */
  expandOnly?: { renders: number; docs: number };
  /** What the environment's render may spend; once spent, the render stops with `stopped`. */
  budget: EvalBudget;
  stopped?: { note: Problem; skipped: number };
  /** Notes said already (by place and message). */
  noted: Set<string>;
  /** Notes away from ports, by expression and reason, with how many more places had them. */
  same: Map<string, { problem: Problem; message: string; more: number; names: string[] }>;
  /** The release name a GitOps file declares (else the chart's name). */
  releaseName?: string;
}

function unknown(message: string, loc: Loc): Problem {
  return { message, loc };
}

/** One template rendered with one set of values: its facts, with locations in the source files. */
function renderOne(ctx: ChartContext, tpl: ParsedTemplate, root: Val, r: Rendering): void {
  let result: ReturnType<typeof renderTemplate>;
  try {
    result = renderTemplate(ctx, tpl, root, r.budget);
  } catch (e) {
    // A string too long for the engine, or values nested too deep for its stack, are runaway as well.
    if (!(e instanceof Runaway) && !(e instanceof RangeError)) throw e;
    const why = e instanceof Runaway ? e.message : `it nests or grows beyond what the evaluator can hold (${(e as Error).message})`;
    const at = r.budget.at;
    const what = at ? at.span.text : tpl.file;
    const note = unknown(`${what} cannot be evaluated here (the chart exceeds Port Parity's evaluation budget: ${why}): the ports of ${tpl.file} are not checked`, at ? ctx.loc(at.file, at.span.start, at.span.end) : ctx.loc(tpl.file, 0, 0));
    r.facts.unknowns?.push(note);
    r.stopped = { note, skipped: 0 };
    return;
  }
  const { out, holes, actions, asides } = result;
  for (const a of asides) note(r, asideProblem(ctx, a), sameOf(a.origin.span.text, a.why));
  if (out.text.trim() === '') {
    for (const h of holes) if (h.kind === 'block' || h.unknowable) note(r, holeProblem(ctx, h, false), h.kind === 'block' ? undefined : sameKey(h));
    return;
  }
  const { docs } = parseYaml(out.text);
  if (r.expandOnly) {
    r.expandOnly.renders++;
    r.expandOnly.docs += docs.length;
    return;
  }
  const facts = extractKubernetes({ path: tpl.file, text: out.text }, withoutHooks(docs));
  const rendered = new LineIndex(tpl.file, out.text);
  const holeLines = new Set<number>();
  const leftOut = new Set<number>();
  for (const h of holes) {
    const port = h.kind === 'value' && (inPortField(docs, out.text, h.at) || includesPorts(ctx, h.span.text));
    // What cannot be known before install is said wherever it is; anything else where a port goes.
    if (h.kind === 'block' || port || h.unknowable) note(r, holeProblem(ctx, h, port), h.kind === 'block' || port ? undefined : sameKey(h));
    if (port) holeLines.add(rendered.position(h.at).line);
    if (h.kind === 'value' && h.unknowable) leftOut.add(rendered.position(h.at).line);
  }
  // A value nothing can know is left out, not read as the empty string the render has in its place.
  if (leftOut.size) dropLeftOut(facts, leftOut);
  // What a left-out port makes of its field (empty, missing) is not a problem of the chart: the unknown says it.
  facts.problems = facts.problems.filter((p) => !holeLines.has(p.loc.line));
  // A bad value reported in a values file names the template expression that uses it.
  for (const p of facts.problems) {
    const a = actions.find((x) => x.from <= p.loc.start && p.loc.start < x.to);
    if (a && !r.map.map(out, actions, p.loc.start, p.loc.end, tpl.file).tpl) p.message += ` (used by ${r.map.snippet(a.file, a.start, a.end)} at ${a.file}:${r.map.loc(a.file, a.start, a.start).line + 1})`;
  }
  remap(facts, (l) => {
    const m = r.map.map(out, actions, l.start, l.end, tpl.file);
    // A value from a values file: remember the template expression that uses it, for related information.
    const a = m.tpl ? undefined : actions.find((x) => x.from <= l.start && l.start < x.to);
    if (a) r.facts.vias?.set(`${m.loc.file}|${m.loc.start}`, { loc: r.map.loc(a.file, a.start, a.end), text: r.map.snippet(a.file, a.start, a.end) });
    // What a chart archive holds is never edited (helm packed it; the host read it in memory).
    return { loc: m.loc, editable: m.exact && (!m.tpl || r.allowTemplateEdits) && archiveOf(m.loc.file) === undefined };
  });
  r.facts.workloads.push(...facts.workloads);
  r.facts.services.push(...facts.services);
  r.facts.configMaps.push(...facts.configMaps);
  r.facts.backends.push(...facts.backends);
  r.facts.networkPolicies.push(...facts.networkPolicies);
  r.facts.problems.push(...facts.problems);
  r.facts.unknowns?.push(...(facts.unknowns ?? []));
}

/** ConfigMap entries and container variables whose value was left out (on the lines in `lines`) are not read at all. */
function dropLeftOut(facts: K8sFacts, lines: Set<number>): void {
  for (const cm of facts.configMaps) cm.data = cm.data.filter((d) => !lines.has(d.valueLoc.line));
  for (const w of facts.workloads) for (const c of w.containers) c.env = c.env.filter((e) => !lines.has(e.valueLoc.line));
}

/** `port`: the value left out stands where a port goes (else it is said because nothing can know it). */
function holeProblem(ctx: ChartContext, h: Hole, port: boolean): Problem {
  const tail = h.kind === 'block' ? 'the ports inside are not checked' : port ? 'this port is not checked' : 'what it writes is left out of the render';
  const o = h.origin;
  const inner = o.file !== h.file || o.span.start !== h.span.start;
  const via = inner ? ` (needed by ${h.span.text} at ${h.file}:${ctx.loc(h.file, h.span.start, h.span.start).line + 1})` : '';
  return unknown(`${o.span.text} cannot be evaluated here (${h.why})${via}: ${tail}`, ctx.loc(o.file, o.span.start, o.span.end));
}

/** Whether an action includes a named template that writes ports (`{{ include "x.pod" . | nindent 6 }}` writing a pod spec). */
function includesPorts(ctx: ChartContext, action: string): boolean {
  for (const m of action.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)) {
    const def = ctx.defines.get(m[1]);
    if (def && PORT_TEXT.test(bodyText(def.tpl, def.body))) return true;
  }
  return false;
}

/** The source text a named template's body spans. */
function bodyText(tpl: ParsedTemplate, body: TNode[]): string {
  if (body.length === 0) return '';
  const startOf = (n: TNode): number => (n.t === 'text' ? n.start : n.span.start);
  const endOf = (n: TNode): number => (n.t === 'text' ? n.end : 'bodyEnd' in n ? n.bodyEnd : n.span.end);
  return tpl.text.slice(startOf(body[0]), endOf(body[body.length - 1]));
}

function asideProblem(ctx: ChartContext, a: Aside): Problem {
  const via = a.via ? ` (needed by ${a.via.span.text} at ${a.via.file}:${ctx.loc(a.via.file, a.via.span.start, a.via.span.start).line + 1})` : '';
  return unknown(`${a.origin.span.text} cannot be evaluated here (${a.why})${via}: what it writes is left out of the render`, ctx.loc(a.origin.file, a.origin.span.start, a.origin.span.end));
}

/** What makes notes away from ports the same: the same expression missing the same thing. */
function sameKey(h: Hole): Same {
  return sameOf(h.origin.span.text, h.why);
}

/** A note's group (`key`), and the template it misses where the chart does not define one. */
interface Same {
  key: string;
  missing?: string;
}

const MISSING_TEMPLATE = /^no template named "(.+)" in the chart$/;

/**
 * The same expression missing the same thing; and every include of a template the chart does not define,
 * whatever its name (a chart copied without its _helpers.tpl includes a dozen: one note, naming them).
 */
function sameOf(expr: string, why: string): Same {
  const missing = MISSING_TEMPLATE.exec(why)?.[1];
  return missing === undefined ? { key: `${expr}\u0000${why}` } : { key: '\u0000missing', missing };
}

/**
 * A note of a render, once per place and message (a helper included by many templates fails the same way
 * in each). `same`: a note away from ports is said once per environment for the same expression and
 * reason (`{{ include "x.labels" . }}` in every template), counting the other places.
 */
function note(r: Rendering, p: Problem, same?: Same): void {
  const key = `${p.loc.file}\u0000${p.loc.start}\u0000${p.message}`;
  if (r.noted.has(key)) return;
  r.noted.add(key);
  const missing = same?.missing;
  const first = same === undefined ? undefined : r.same.get(same.key);
  if (first) {
    first.more++;
    if (missing !== undefined && !first.names.includes(missing)) first.names.push(missing);
    const others = first.names.length > 1 ? `; the chart does not define ${first.names.length} templates it includes: ${first.names.join(', ')}` : '';
    first.problem.message = `${first.message} (and ${first.more} more place${first.more === 1 ? '' : 's'} like it in this environment${others})`;
    return;
  }
  if (same !== undefined) r.same.set(same.key, { problem: p, message: p.message, more: 0, names: missing === undefined ? [] : [missing] });
  r.facts.unknowns?.push(p);
}

const WORKLOAD_KIND = /^\s*kind:\s*["']?(Deployment|StatefulSet|DaemonSet|ReplicaSet|Pod|Job|CronJob)["']?\s*$/m;

/** A render without any workload port, from a chart whose templates write workloads with ports, says so. */
function noWorkloadNote(chart: Chart, tree: Chart[], env: string | undefined, r: Rendering): void {
  if (r.facts.workloads.some((w) => w.containers.some((c) => c.ports.length > 0 || (c.unreadPorts?.length ?? 0) > 0))) return;
  const writers = tree.flatMap((c) => (c.library ? [] : c.manifests)).filter((f) => WORKLOAD_KIND.test(f.text));
  const ported = tree.some((c) => c.templates.some((f) => /containerPort\s*:/.test(f.text)));
  if (writers.length === 0 || !ported) return;
  const at = chart.files[0];
  const dir = chart.dir || '.';
  note(r, unknown(`Helm chart ${dir} renders no workload with ports ${env ? `in ${env}` : 'with its default values'}, though ${writers.map((f) => f.path).join(', ')} can write workloads: nothing of it is checked there (are its workloads disabled by its values?)`, new LineIndex(at.path, at.text).loc(0, 0)));
}

/** Kinds the core reads; a template whose every `kind:` is a literal other kind is not rendered at all. */
const READ_KINDS = /^(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|Service|ConfigMap|Ingress|NetworkPolicy|HTTPRoute|GRPCRoute|TCPRoute|TLSRoute|UDPRoute|List|[A-Za-z]*List)$/;
function carriesNoPorts(text: string): boolean {
  const kinds = [...text.matchAll(/^\s*kind:\s*(.*?)\s*$/gm)].map((m) => m[1].replace(/^["']|["']$/g, ''));
  // No kind at all (a partial, a NOTES file) or one computed by the template: render it. Another kind
  // with a pod template (an Argo Rollout) is rendered too, for the reader to say its ports are not read.
  return kinds.length > 0 && kinds.every((k) => !k.includes('{{') && !READ_KINDS.test(k)) && !/^\s*containers:/m.test(text);
}

/** Renders a chart and its enabled subcharts with `values` into `r` (`as`: the name it renders under, its alias). */
function renderChart(chart: Chart, values: Val, release: Chart, parsed: Map<string, ParsedTemplate | TemplateSyntaxError>, ctx: ChartContext, r: Rendering, as = chart.name): void {
  const assembled = assemble(chart, values, r.top, defaults, (p) => note(r, p), ctx.loc);
  values = assembled.values;
  if (chart.schema) schemaNotes(chart, chart.schema, as, values, assembled.runs, r, ctx);
  if (!chart.library) {
    // `.Subcharts` is built only for a chart whose templates name it.
    const subcharts = namesSubcharts(chart) ? subchartsVal(assembled.runs, release, r, ctx, 0) : plainVal({});
    for (const f of chart.manifests) {
      const tpl = parsed.get(f.path);
      if (!tpl || carriesNoPorts(f.text)) continue;
      if (r.stopped) {
        r.stopped.skipped++;
        continue;
      }
      if (tpl instanceof TemplateSyntaxError) {
        if (PORT_TEXT.test(f.text)) r.facts.unknowns?.push(unknown(`${f.path} cannot be rendered here (${tpl.message}): its ports are not checked`, ctx.loc(f.path, tpl.offset, tpl.offset)));
        continue;
      }
      const name = `${release.name}/${rel(release.dir, f.path)}`;
      const root = scope(chart, as, values, release, subcharts, r.releaseName);
      // BasePath is the chart's templates folder (`mychart/templates`, `parent/charts/sub/templates`), whichever file renders.
      root.v.set('Template', plainVal({ Name: name, BasePath: posix.join(release.name, rel(release.dir, chart.dir), 'templates') }));
      renderOne({ ...ctx, chartName: chart.name }, tpl, root, r);
    }
  }
  // A dependency that is not unpacked under charts/ (fetched by `helm dependency build`) is not here to read.
  for (const { dep, unfit } of subchartsOf(chart).missing) {
    if (!isEnabled(dep, values, r.top)) continue;
    const charts = `${chart.dir ? `${chart.dir}/` : ''}charts/`;
    const message = unfit.length
      ? `dependency ${dep.name} ${dep.version ?? ''} is not rendered: ${charts} holds ${dep.name} ${unfit.join(', ')}, which the version does not match, and helm leaves it out (helm dependency update fetches a matching one)`
      : `dependency ${dep.name} is not in ${charts} (helm dependency build fetches it): what it renders is not checked`;
    r.facts.unknowns?.push(unknown(message.replace(/ {2}/g, ' '), ctx.loc(dep.file, dep.range[0], dep.range[1])));
  }
  for (const s of assembled.runs) {
    r.facts.unknowns?.push(...(valueProblems.get(s.chart) ?? []));
    renderChart(s.chart, withGlobal(s.values), release, parsed, ctx, r, s.key);
  }
}

/**
 * What helm does with values.schema.json: the chart's values (coalesced, before any template runs) are
 * validated, and helm template/install refuse on a violation. Each violation is a note at the value that
 * breaks it (else at the chart's values.yaml); defaults in the schema are never applied, as in helm.
 */
function schemaNotes(chart: Chart, schema: SourceFile, as: string, values: Val, runs: SubRun<Chart>[], r: Rendering, ctx: ChartContext): void {
  if (values.k !== 'map') return;
  // Helm's coalesced values hold each enabled subchart's values under its key; an empty `global` (which
  // the evaluator adds where no values file sets one) is left out, so that it is never what fails.
  const checked = new Map(values.v);
  for (const s of runs) checked.set(s.key, s.values);
  const g = checked.get('global');
  if (g?.k === 'map' && g.v.size === 0) checked.delete('global');
  const got = validateValues(schema.text, { k: 'map', v: checked });
  if ('unusable' in got) {
    note(r, unknown(`${schema.path} cannot be used here (${got.unusable}): whether helm accepts ${as}'s values is not checked`, ctx.loc(schema.path, 0, 0)));
    return;
  }
  for (const e of got.errors) {
    const at = locate(valuePath(values, e.path), ctx.loc) ?? ctx.loc(chart.values?.path ?? schema.path, 0, 0);
    const where = e.path.length ? `.Values.${e.path.join('.')}` : '.Values';
    note(r, unknown(`helm template would fail here: ${schema.path} rejects ${where} of ${as} (${e.message}); helm refuses these values, so this environment cannot be deployed as written`, at));
  }
}

/** The deepest value along `path` that exists. */
function valuePath(v: Val, path: string[]): Val {
  let cur = v;
  for (const k of path) {
    const next = cur.k === 'map' ? cur.v.get(k) : cur.k === 'list' ? cur.v[Number(k)] : undefined;
    if (!next) break;
    cur = next;
  }
  return cur;
}

/** Where a value was written: a scalar's own place, else that of the first scalar inside it. */
function locate(v: Val, loc: ChartContext['loc'], depth = 0): Loc | undefined {
  if (depth > 32) return undefined;
  const m = v.k === 'num' || v.k === 'bool' ? v.map : v.k === 'str' ? v.parts?.[0]?.map : undefined;
  if (m) return m.kind === 'whole' ? m.loc : loc(m.file, m.at, m.at + (v.k === 'str' ? v.v.length : v.k === 'num' || v.k === 'bool' ? String(v.v).length : 0));
  if (v.k === 'map' || v.k === 'list') {
    for (const x of v.k === 'map' ? v.v.values() : v.v) {
      const l = locate(x, loc, depth + 1);
      if (l) return l;
    }
  }
  return undefined;
}

const subchartsNamed = new WeakMap<Chart, boolean>();
function namesSubcharts(c: Chart): boolean {
  let yes = subchartsNamed.get(c);
  if (yes === undefined) subchartsNamed.set(c, (yes = c.subcharts.length > 0 && c.templates.some((f) => f.text.includes('Subcharts'))));
  return yes;
}

/** The template scope of a chart (`.Values`, `.Chart`, `.Release`, `.Capabilities`, `.Files`, `.Subcharts`); `.Chart.Name` is its alias, as helm renames it. */
/** `named`: the release name a GitOps declaration gives, else the chart's. */
function scope(chart: Chart, as: string, values: Val, release: Chart, subcharts: Val, named?: string): Extract<Val, { k: 'map' }> {
  const root = plainVal({}) as Extract<Val, { k: 'map' }>;
  root.v.set('Values', values);
  root.v.set('Chart', as === chart.name || chart.meta.k !== 'map' ? chart.meta : { k: 'map', v: new Map(chart.meta.v).set('Name', plainVal(as)) });
  root.v.set('Release', plainVal({ Name: releaseName(named ?? release.name), Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 }));
  root.v.set('Capabilities', capabilities());
  root.v.set('Files', chartFiles(chart));
  root.v.set('Subcharts', subcharts);
  return root;
}

/**
 * `.Subcharts` as helm's engine gives it (recAllTpls): each enabled subchart by its name (alias) with
 * its own scope, `.Values` those it renders with, and its own `.Subcharts`.
 */
function subchartsVal(runs: SubRun<Chart>[], release: Chart, r: Rendering, ctx: ChartContext, depth: number): Val {
  const out = plainVal({}) as Extract<Val, { k: 'map' }>;
  if (depth > 16) return out;
  for (const s of runs) {
    const inner = assemble(s.chart, withGlobal(s.values), r.top, defaults, (p) => note(r, p), ctx.loc);
    out.v.set(s.key, scope(s.chart, s.key, inner.values, release, subchartsVal(inner.runs, release, r, ctx, depth + 1), r.releaseName));
  }
  return out;
}

/** Helm's values always hold `global` (an empty map when no chart sets it): `(.Values.global).x` is then nil, not an error. */
function withGlobal(v: Val): Val {
  if (v.k === 'map' && !v.v.has('global')) v.v.set('global', plainVal({}));
  return v;
}

const filesCache = new WeakMap<Chart, Val>();

/** `.Files` of a chart: its files but templates/ and Chart.yaml, by path in the chart. */
function chartFiles(c: Chart): Val {
  let v = filesCache.get(c);
  if (!v) {
    v = filesObject(new Map(c.others.map((f) => [rel(c.dir, f.path), f.text])), c.dir);
    filesCache.set(c, v);
  }
  return v;
}

const defaultsCache = new WeakMap<Chart, Val>();
const valueProblems = new WeakMap<Chart, Problem[]>();

function defaults(c: Chart): Val {
  let v = defaultsCache.get(c);
  if (!v) {
    const problems: Problem[] = [];
    v = c.values ? readValues(c.values, problems) : plainVal({});
    defaultsCache.set(c, v);
    valueProblems.set(c, problems);
  }
  return v;
}

/** One `helm template` run the CLI or the language server may make: a chart with an environment's values files. */
export interface HelmTemplateJob {
  key: string;
  chartDir: string;
  /** The release name the evaluator renders with (the chart's name, made a valid release name), so that names line up. */
  release: string;
  /** The environment's values files, in order (helm reads the chart's values.yaml itself). */
  valuesFiles: string[];
}

/** The `helm template` runs that match the evaluator's renders: one per chart (not subchart) and environment. */
export function helmTemplateJobs(files: SourceFile[], envOf: EnvOf): HelmTemplateJob[] {
  const jobs: HelmTemplateJob[] = [];
  for (const chart of chartsOf(files, envOf)) {
    // A declared release's values are not all files helm could read: it is not compared with `helm template`.
    for (const run of envRuns(chart)) if (!run.release) jobs.push({ key: helmTemplateKey(chart.dir, run.env), chartDir: chart.dir, release: releaseName(chart.name), valuesFiles: run.layers.map((f) => f.path) });
  }
  return jobs;
}

/** Each environment of a chart with its values files layered on values.yaml (none: the chart renders once, as its base), and the releases GitOps files declare. */
function envRuns(chart: Chart): EnvRun[] {
  const envs = new Map<string, SourceFile[]>();
  for (const e of chart.envValues) envs.set(e.env, [...(envs.get(e.env) ?? []), e.file]);
  return withDeclared(envs.size ? [...envs].map(([env, layers]) => ({ env, layers })) : [{ env: undefined, layers: [] }], chart.releases);
}

/**
 * `memo` (the store's): a chart whose files, environments and `helm template` outputs are
 * the same as last time gives back its last renders, the same facts objects.
 */
export function helmRenders(files: SourceFile[], envOf: EnvOf, templates?: HelmTemplates, memo?: RenderMemo, prune = true): Renders {
  const facts: K8sFacts[] = [];
  const consumed = new Set<string>();
  const kept = new Set<string>();
  for (const chart of chartsOf(files, envOf, memo, prune)) {
    const tree = allCharts(chart);
    for (const c of tree) for (const f of c.files) consumed.add(f.path);
    kept.add(chart.dir);
    facts.push(...finish(chartRenders(chart, tree, templates, memo)));
  }
  if (memo && prune) {
    for (const dir of [...memo.charts.keys()]) if (!kept.has(dir)) memo.charts.delete(dir);
    for (const dir of [...memo.chartsUnderWay.keys()]) if (!kept.has(dir)) memo.chartsUnderWay.delete(dir);
  }
  return { facts, consumed };
}

/**
 * The folders of the kept charts that hold `changed` (the only paths changed since the memo's charts
 * were rendered, with the same environments and `helm template` outputs): only those can render
 * again. Undefined when a Chart.yaml changed (which can make or unmake a chart): any can.
 */
export function chartsHolding(changed: string[], memo: RenderMemo): string[] | undefined {
  if (changed.some((p) => posix.basename(p) === 'Chart.yaml')) return undefined;
  return [...new Set(changed.flatMap((p) => owningDir(p, memo.charts) ?? []))];
}

/**
 * The renders helmRenders will need that `memo` does not hold yet, made one chart environment per
 * step and kept in `memo`: the language server runs the steps with a pause between them (so that it
 * answers requests meanwhile) before it evaluates, which then finds every chart in the memo. Steps
 * not run cost nothing; an environment rendered stays in the memo while its chart's inputs are the same.
 * `templates` is asked for only when there is a chart.
 */
export function* helmRenderSteps(files: SourceFile[], envOf: EnvOf, templates: () => HelmTemplates | undefined, memo: RenderMemo): Generator<string, void> {
  const charts = chartsOf(files, envOf, memo, false);
  if (charts.length === 0) return;
  const helm = templates();
  for (const chart of charts) yield* chartRenders(chart, allCharts(chart), helm, memo);
}

/** Runs a generator's steps to the end, for its result. */
function finish<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const n = steps.next();
    if (n.done) return n.value;
  }
}

/** A chart's facts: from the memo when its inputs are the same, else rendered (a step after each environment) and kept there. */
function* chartRenders(chart: Chart, tree: Chart[], templates: HelmTemplates | undefined, memo: RenderMemo | undefined): Generator<string, K8sFacts[]> {
  const treeFiles = tree.flatMap((c) => c.files);
  let inputs: unknown[] = [];
  if (memo) {
    const helm = templates ? [...templates].filter(([k]) => k.startsWith(`${chart.dir || '.'}#`)).flat() : [];
    // `.Files` reads the charts' other files: they are inputs too.
    const others = tree.flatMap((c) => c.others.filter((f) => !c.files.includes(f)));
    inputs = [...chart.envValues.flatMap((e) => [e.env, e.file.path]), '', ...(chart.releases ?? []).flatMap((r) => [r.key, ...r.inputs]), '', ...treeFiles.flatMap((f) => [f.path, f.text]), '', ...others.flatMap((f) => [f.path, f.text]), '', ...helm];
    const hit = memo.charts.get(chart.dir);
    if (hit && sameInputs(hit.inputs, inputs)) return hit.facts;
  }
  let own: K8sFacts[];
  try {
    own = yield* renderChartEnvs(chart, tree, treeFiles, undefined, memo && { memo, inputs });
    if (templates) compareEnvs(chart, own, templates);
  } catch (e) {
    // A chart the evaluator trips over is left unchecked, said once; it never takes the workspace down.
    const dir = chart.dir || '.';
    const at = chart.files[0];
    own = [{ kind: 'kubernetes', file: `${dir}#base`, renderedFrom: `Helm chart ${dir}`, unknowns: [unknown(`Helm chart ${dir} cannot be rendered here (${(e as Error).message}): its ports are not checked`, new LineIndex(at.path, at.text).loc(0, 0))], workloads: [], services: [], configMaps: [], backends: [], networkPolicies: [], problems: [], suppressions: [] }];
  }
  memo?.chartsUnderWay.delete(chart.dir);
  memo?.charts.set(chart.dir, { inputs, facts: own });
  return own;
}

/**
 * The kept charts holding any of `changed` (files whose text changed, with the same charts), their
 * renders taken from the memo or made again. Undefined when a changed file is in no kept chart, or
 * its renders are not the same environments as before (which changes which facts there are).
 */
export function helmRerender(files: SourceFile[], envOf: EnvOf, changed: string[], memo: RenderMemo, templates?: HelmTemplates): K8sFacts[] | undefined {
  const dirs = new Set<string>();
  for (const p of changed) {
    const dir = owningDir(p, memo.charts);
    if (dir === undefined) return undefined;
    dirs.add(dir);
  }
  const was = new Set([...dirs].flatMap((d) => memo.charts.get(d)?.facts.map((f) => f.file) ?? []));
  const mine = files.filter((f) => [...dirs].some((d) => under(d, f.path)));
  const facts = helmRenders(mine, envOf, templates, memo, false).facts;
  // A chart that renders other environments now (or fails whole) changes which facts exist.
  if (facts.length !== was.size || facts.some((f) => !was.has(f.file))) return undefined;
  return facts;
}

/** Sets what `helm template` says of each environment of a chart on its facts. */
function compareEnvs(chart: Chart, own: K8sFacts[], templates: HelmTemplates): void {
  const at = chart.files[0];
  const chartLoc = new LineIndex(at.path, at.text).loc(0, 0);
  const compared: { env?: string; mismatches: HelmMismatch[] }[] = [];
  const failed = new Map<string, string[]>();
  for (const f of own) {
    const out = templates.get(helmTemplateKey(chart.dir, f.env));
    if (!out) continue;
    if (out.error !== undefined || out.text === undefined) {
      const why = out.error ?? 'no output';
      failed.set(why, [...(failed.get(why) ?? []), f.env ?? 'base']);
    } else compared.push({ env: f.env, mismatches: compareWithHelm(f, out.text, chart.dir, chartLoc) });
  }
  // A failure is said once per chart and reason, naming its environments.
  for (const [why, envs] of failed) {
    const f = own.find((x) => (x.env ?? 'base') === envs[0]);
    f?.unknowns?.push(unknown(`helm template could not render ${chart.dir || '.'} (${envs.join(', ')}): ${why}: the chart is checked with Port Parity's own evaluation only`, chartLoc));
  }
  const problems = helmProblems(compared);
  for (const f of own) {
    const p = problems.get(f.env);
    if (compared.some((c) => c.env === f.env)) f.helmMismatches = p ?? [];
  }
}

/**
 * What it costs to have each chart environment's manifests as YAML trees, and nothing more: values
 * files and templates parsed, each environment's templates expanded and their output parsed, as
 * `gcc -fsyntax-only` preprocesses before it parses. The benchmark's floor for charts.
 */
export function expandCharts(files: SourceFile[], envOf: EnvOf): { charts: number; renders: number; docs: number } {
  const count = { renders: 0, docs: 0 };
  let charts = 0;
  for (const chart of chartsOf(files, envOf)) {
    const tree = allCharts(chart);
    charts += tree.length;
    finish(renderChartEnvs(chart, tree, tree.flatMap((c) => c.files), count));
  }
  return { charts, ...count };
}

/**
 * One K8sFacts per environment of a chart (or one for a chart without environment values files), a
 * step after each. `keep`: the environments rendered so far are kept in the memo (chartsUnderWay) with
 * the chart's inputs, so that steps left unrun start again after them.
 */
function* renderChartEnvs(chart: Chart, tree: Chart[], treeFiles: SourceFile[], expandOnly?: { renders: number; docs: number }, keep?: { memo: RenderMemo; inputs: unknown[] }): Generator<string, K8sFacts[]> {
  const started = keep?.memo.chartsUnderWay.get(chart.dir);
  const facts: K8sFacts[] = started && keep && sameInputs(started.inputs, keep.inputs) ? [...started.facts] : [];
  // Declared releases' values may be written outside the chart (an Application's inline values): mapped back there too.
  const map = new SourceMap([...treeFiles, ...(chart.releases ?? []).flatMap((r) => r.files)]);
  // Templates parse once; named templates are shared by the chart and its subcharts (the parent's win).
  const parsed = new Map<string, ParsedTemplate | TemplateSyntaxError>();
  const defines = new Map<string, { tpl: ParsedTemplate; body: TNode[] }>();
  for (const c of [...tree].reverse()) {
    for (const f of c.templates) {
      try {
        const tpl = parseTemplate(f.path, f.text);
        parsed.set(f.path, tpl);
        for (const [name, body] of tpl.defines) defines.set(name, { tpl, body });
        // Helm names each file a template too (`include (print $.Template.BasePath "/configmap.yaml") .`).
        defines.set(`${chart.name}/${rel(chart.dir, f.path)}`, { tpl, body: tpl.root });
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
        parsed.set(f.path, e);
      }
    }
  }
  const ctx: ChartContext = { defines, chartName: chart.name, loc: (file, start, end) => map.loc(file, start, end) };
  const runs = envRuns(chart);
  const base = defaults(chart);
  const dir = chart.dir || '.';
  for (const { env, layers, release } of runs.slice(facts.length)) {
    const problems = [...(valueProblems.get(chart) ?? [])];
    let values = base;
    for (const f of layers) values = mergeValues(values, layerValues(f, problems));
    // A copy: templates change dicts in place (`set`), and the chart's defaults serve every environment.
    values = withGlobal(deepCopy(values));
    const r: Rendering = {
      top: values,
      facts: { kind: 'kubernetes', file: `${dir}#${release?.key ?? env ?? 'base'}`, env, renderedFrom: release ? `Helm chart ${dir}, as ${release.label} deploys it` : `Helm chart ${dir}`, unknowns: problems, vias: new Map(), workloads: [], services: [], configMaps: [], backends: [], networkPolicies: [], problems: [], suppressions: [] },
      map,
      // A template serves every environment of the chart: a fix may edit it only when the chart renders once.
      allowTemplateEdits: runs.length === 1,
      expandOnly,
      budget: new EvalBudget(),
      noted: new Set(),
      same: new Map(),
      releaseName: release?.releaseName,
    };
    renderChart(chart, values, chart, parsed, ctx, r);
    if (!expandOnly && !r.stopped) noWorkloadNote(chart, tree, env, r);
    // The budget is the environment's: the templates after the one that spent it are not rendered either.
    if (r.stopped?.skipped) r.stopped.note.message += `, nor those of the ${r.stopped.skipped} template${r.stopped.skipped === 1 ? '' : 's'} after it`;
    facts.push(r.facts);
    keep?.memo.chartsUnderWay.set(chart.dir, { inputs: keep.inputs, facts: [...facts] });
    yield r.facts.file;
  }
  return facts;
}
