// A chart environment as Port Parity's evaluator read it, against what `helm template` rendered for it.
import type { K8sContainer, K8sFacts, K8sService, Loc, PortValue, Problem } from '../../types';
import { compareEnvs } from '../../environments';
import { get, parseYaml } from '../../yaml';
import type { YamlDoc } from '../../yaml';
import { extractKubernetes } from '../kubernetes/read';

/** What the language server or the CLI got from `helm template` for one chart environment. */
export interface HelmTemplateOutput {
  /** The rendered manifests (stdout). */
  text?: string;
  /** Why there is no render: helm's first error line, a time-out, no helm on the PATH. */
  error?: string;
}

/** By `helmTemplateKey(chartDir, env)`. */
export type HelmTemplates = Map<string, HelmTemplateOutput>;

export function helmTemplateKey(chartDir: string, env: string | undefined): string {
  return `${chartDir || '.'}#${env ?? 'base'}`;
}

/** A render's documents without chart hooks (tests, migration jobs): they run and exit around an install and serve no ports. */
export function withoutHooks(docs: YamlDoc[]): YamlDoc[] {
  return docs.filter((d) => get(get(get(d.contents, 'metadata'), 'annotations'), 'helm.sh/hook') === undefined);
}

/** One port-bearing field, as the comparison lines them up. */
interface Field {
  /** `Deployment/web container web containerPort http`, `Service/web port http targetPort`. */
  what: string;
  value: string;
  loc?: Loc;
}

const show = (v: PortValue | undefined): string => (v === undefined ? '(none)' : v.port !== undefined ? String(v.port) : v.name ?? (v.raw || '(empty)'));

function containerFields(owner: string, c: K8sContainer, out: Map<string, Field>): void {
  const at = `${owner} container ${c.name}`;
  c.ports.forEach((p, i) => {
    const id = p.name ? `port ${p.name}` : `ports[${i}]`;
    out.set(`${at} ${id}`, { what: `${at} ${id} containerPort`, value: show(p.containerPort), loc: p.containerPort.loc });
  });
  for (const p of c.probes) if (p.type !== 'command') out.set(`${at} ${p.kind}`, { what: `${at} ${p.kind} probe port`, value: show(p.port), loc: p.port.loc });
  for (const e of c.env) if (/PORT$/i.test(e.name)) out.set(`${at} env ${e.name}`, { what: `${at} env ${e.name}`, value: e.value, loc: e.valueLoc });
}

function serviceFields(s: K8sService, out: Map<string, Field>): void {
  s.ports.forEach((p, i) => {
    const id = `Service/${s.name} ${p.name ? `port ${p.name}` : `ports[${i}]`}`;
    out.set(`${id} port`, { what: `${id} port`, value: show(p.port), loc: p.port.loc });
    out.set(`${id} targetPort`, { what: `${id} targetPort`, value: p.targetPort ? show(p.targetPort) : show(p.port), loc: p.targetPort?.loc ?? p.port.loc });
  });
}

function fieldsOf(f: Pick<K8sFacts, 'workloads' | 'services'>): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const w of f.workloads) for (const c of w.containers) containerFields(`${w.kind}/${w.name}`, c, out);
  for (const s of f.services) serviceFields(s, out);
  return out;
}

/** One port field where helm's render and the evaluator's disagree, in one environment. */
export interface HelmMismatch {
  /** `Deployment/api container api port http containerPort`. */
  what: string;
  /** What helm renders; undefined: helm does not render the field. */
  theirs?: string;
  /** What the evaluator reads; undefined: the evaluator does not have the field. */
  ours?: string;
  loc: Loc;
}

/**
 * Compares one environment of a chart, as the evaluator read it (`ours`, locations in the chart's
 * files), with helm's render of it. Helm's render has no source map, so it never replaces the
 * evaluator's reading (whose findings point at values lines and can be fixed): each field where the
 * two disagree is placed at the evaluator's location of it, or at the template that helm says
 * rendered it, or at `fallback` (the chart's Chart.yaml).
 */
export function compareWithHelm(ours: K8sFacts, helm: string, chartDir: string, fallback: Loc): HelmMismatch[] {
  const file = `${chartDir || '.'}#helm-template`;
  const { docs } = parseYaml(helm);
  // The evaluator leaves hooks out too.
  const theirs = fieldsOf(extractKubernetes({ path: file, text: helm }, withoutHooks(docs)));
  const mine = fieldsOf(ours);
  // `# Source: chart/templates/deployment.yaml` heads each document helm writes.
  const sourceOf = (at: number | undefined): Loc => {
    if (at === undefined) return fallback;
    const m = [...helm.slice(0, at).matchAll(/^# Source: [^/\n]+\/(.+)$/gm)].pop();
    if (!m) return fallback;
    const path = `${chartDir ? `${chartDir}/` : ''}${m[1].trim()}`;
    return { ...fallback, file: path, start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 };
  };
  const out: HelmMismatch[] = [];
  for (const [key, t] of theirs) {
    const m = mine.get(key);
    if (m && m.value === t.value) continue;
    out.push({ what: t.what, theirs: t.value, ours: m?.value, loc: m?.loc ?? sourceOf(t.loc?.start) });
  }
  for (const [key, m] of mine) if (!theirs.has(key)) out.push({ what: m.what, ours: m.value, loc: m.loc ?? fallback });
  return out;
}

/**
 * The problems of a chart's environments, one per place and field: where several environments disagree
 * with helm at the same line, one problem names each environment's values (reported with the first).
 */
export function helmProblems(perEnv: { env?: string; mismatches: HelmMismatch[] }[]): Map<string | undefined, Problem[]> {
  const groups = new Map<string, { env?: string; m: HelmMismatch }[]>();
  for (const { env, mismatches } of perEnv) {
    for (const m of mismatches) {
      const k = `${m.loc.file}|${m.loc.start}|${m.loc.end}|${m.what}`;
      groups.set(k, [...(groups.get(k) ?? []), { env, m }]);
    }
  }
  const out = new Map<string | undefined, Problem[]>();
  const name = (env: string | undefined): string => env ?? 'base';
  for (const group of groups.values()) {
    const list = [...group].sort((a, b) => compareEnvs(name(a.env), name(b.env)));
    const { m } = list[0];
    const same = list.every((x) => x.m.theirs === m.theirs && x.m.ours === m.ours);
    // One value everywhere: "In staging and production, ..."; values that differ: each with its environment.
    const where = perEnv.length > 1 && same ? `In ${list.map((x) => name(x.env)).join(' and ')}, ` : '';
    const val = (pick: (x: HelmMismatch) => string | undefined): string => (same ? String(pick(m)) : list.map((x) => `${pick(x.m)} in ${name(x.env)}`).join(', '));
    const message = m.theirs !== undefined && m.ours !== undefined
      ? `${where}helm template renders ${m.what} as ${val((x) => x.theirs)} where Port Parity's evaluation of the chart reads ${val((x) => x.ours)}: findings for it follow Port Parity's reading`
      : m.theirs !== undefined
        ? `${where}helm template renders ${m.what} = ${val((x) => x.theirs)}, which Port Parity's evaluation of the chart does not have: it is not checked`
        : `${where}Port Parity's evaluation of the chart reads ${m.what} = ${val((x) => x.ours)}, which helm template does not render`;
    const first = list[0].env;
    out.set(first, [...(out.get(first) ?? []), { message, loc: m.loc }]);
  }
  return out;
}
