// How each service was formed (`port-parity explain`): in each environment (and variant), which files
// make it up, what each contributes and why it joined, which environment each file is in and why, and
// the ports the view declares. What the model decided, in words, so that a wrong join can be seen.
import { posix } from 'node:path';
import { DEFAULT_ENV, DEFAULT_ENV_NOTE, DEFAULT_ENV_NOTE_TEXT, envLabel, envMatcher } from './environments';
import { FORMATS } from './formats/registry';
import type { EnvView, Model, ServiceModel } from './model-types';
import { portSet, servicesNamed } from './model-types';
import { CONFIG_FILES } from './config-files';
import { dirOf, owningDir } from './paths';
import type { FileFacts } from './types';
import { isReported } from './unread';
import type { Unread } from './unread';

export interface ExplainedSource {
  file: string;
  what: string;
  /** Why the file is in this environment. */
  env: string;
}

export interface ExplainedView {
  env: string;
  variant?: string;
  reference: boolean;
  ports: number[];
  sources: ExplainedSource[];
}

/** A service's views with their sources; undefined for a service the model does not have. */
export function explainService(model: Model, name: string): ExplainedView[] | undefined {
  const s = model.services.get(name);
  if (!s) return undefined;
  const byPath = envMatcher(model.config.environments).envOf;
  return [...s.views.values()].map((v) => ({
    env: v.env,
    ...(v.variant !== undefined ? { variant: v.variant } : {}),
    reference: v.variant === undefined && s.reference === v.env && !s.contract,
    ports: portSet(v.declared),
    sources: sourcesOf(model, v, byPath),
  }));
}

/** What each format gives a view, with its file. */
function partsOfView(v: EnvView): { file: string; what: string }[] {
  return [...FORMATS.flatMap((f) => f.explain?.(v) ?? []), ...v.processes.map((p) => ({ file: p.nameLoc.file, what: `${p.service}, an app its platform manifest declares` }))];
}

function sourcesOf(model: Model, v: EnvView, byPath: (file: string) => string | undefined): ExplainedSource[] {
  return partsOfView(v).map((p) => ({ ...p, env: envReason(model, p.file, v.env, byPath) }));
}

/** Why a file is in an environment: its own path or name marks it, or it is a base the environment shares. */
function envReason(model: Model, file: string, key: string, byPath: (file: string) => string | undefined): string {
  const own = model.envOfFile(file);
  const env = envLabel(key);
  if (own === key && byPath(file) !== key) return `${env}: what it is (an unmarked compose project runs locally, a platform manifest deploys)`;
  if (own === key) return `${env}: its path or name`;
  if (own === undefined) return `${env}: an unmarked base, in every environment that does not override it`;
  return `${env}: shared from ${envLabel(own)}`;
}

/** One view's heading: its environment (and variant), whether it is the reference, its ports. */
function viewHead(v: ExplainedView): string {
  const env = envLabel(v.env);
  return `${v.variant !== undefined ? `${env}, variant ${v.variant}` : env}${v.reference ? ' (reference)' : ''}: ${v.ports.length ? `ports ${v.ports.join(', ')}` : 'no port declared'}`;
}

/** `name` (Markdown); undefined for a service the model does not have. Workspace text goes in code spans. */
export function explainMarkdown(model: Model, name: string): string | undefined {
  const views = explainService(model, name);
  const s = model.services.get(name);
  if (!views || !s) return undefined;
  const out = [`# ${code(name || '(no name)')}${s.contract ? ` (contract: ${s.contract.ports.join(', ')})` : ''}`, ''];
  for (const v of views) {
    out.push(`## ${viewHead(v)}`, '');
    for (const src of v.sources) out.push(`- ${code(src.file)}: ${src.what} (${src.env})`);
    out.push('');
  }
  if (views.some((v) => v.env === DEFAULT_ENV)) out.push(DEFAULT_ENV_NOTE, '');
  return out.join('\n');
}

/** Workspace text in a code span that it cannot close (a run of backticks longer than any in it). */
function code(s: string): string {
  const ticks = '`'.repeat(Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${ticks}${s.startsWith('`') || s.endsWith('`') ? ` ${s} ` : s}${ticks}`;
}

/** The explanation as text, for the named services (all when none is named). */
export function explainText(model: Model, names: string[] = []): { text: string; unknown: string[] } {
  const unknown = names.filter((n) => servicesNamed(model, n).length === 0);
  const chosen: ServiceModel[] = names.length ? [...new Set(names.flatMap((n) => servicesNamed(model, n)))] : [...model.services.values()].sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const s of chosen) {
    out.push(`${s.name}${s.application ? ` (${s.application.service} of application ${s.application.name})` : ''}${s.contract ? ` (contract: ${s.contract.ports.join(', ')})` : ''}`);
    for (const v of explainService(model, s.name) ?? []) {
      out.push(`  ${viewHead(v)}`);
      for (const src of v.sources) out.push(`    ${src.file}: ${src.what} [${src.env}]`);
    }
    out.push('');
  }
  if (chosen.some((s) => [...s.views.values()].some((v) => v.env === DEFAULT_ENV))) out.push(DEFAULT_ENV_NOTE_TEXT, '');
  return { text: out.join('\n'), unknown };
}

/** Where a file found stands: it makes up services, it is read with nothing to check, or it is not read. */
export type FileStatus = 'contributes' | 'nothing to check' | 'not read';

/**
 * One file (or folder) found, and why it stands where it does: `why` in full, `group` in a few words
 * shared by files alike (the report's closing line counts them). `reported`: a finding at the file says it.
 */
export interface FileAccount {
  file: string;
  status: FileStatus;
  why: string;
  group: string;
  reported: boolean;
}

type Standing = Pick<FileAccount, 'status' | 'why' | 'group'>;

/** Reasons for a file skipped that is plainly something else. */
const NOT_DEPLOYMENT = new Set(['YAML that is neither Kubernetes nor Compose', 'not a deployment file', 'unparsable YAML', 'binary file', 'template']);

/** Files a render reads, with what that reading is. */
const RENDERED: Record<string, string> = {
  'part of a Helm chart': 'read by its Helm chart\'s render',
  'rendered by a chart or kustomization': 'read by the chart or kustomization that renders it',
  kustomization: 'a kustomization, rendered',
  'kustomize patch': 'a patch its kustomization applies',
};

/**
 * Every file found, and what became of it: the services it makes up, or why it gives nothing. `facts`:
 * the extraction's (one per file, and the renders); `unread`: what the walk passed over (folders too).
 */
export function accountFiles(model: Model, facts: readonly FileFacts[], unread: readonly Unread[] = []): FileAccount[] {
  const services = servicesByFile(model);
  const charts = new Set(facts.filter((f) => /^chart\.ya?ml$/i.test(posix.basename(f.file))).map((f) => dirOf(f.file)));
  const composeDirs = new Set(facts.filter((f) => f.kind === 'compose').map((f) => dirOf(f.file)));
  const out: FileAccount[] = [];
  for (const f of facts) {
    // A render's facts are its files'.
    if (f.kind === 'kubernetes' && f.renderedFrom !== undefined) continue;
    const names = services.get(f.file);
    const gives = names ? `makes up ${[...names].sort().join(', ')}` : undefined;
    out.push({ file: f.file, reported: isReported(f), ...standing(f, gives, charts, composeDirs) });
  }
  // What the walk passed over and the facts do not hold (folders; in the editor, links it only logs).
  const held = new Set(out.map((a) => a.file));
  for (const u of unread) {
    if (u.folder) out.push({ file: `${u.path}/`, status: 'not read', why: u.reason, group: 'folders not read', reported: false });
    else if (!held.has(u.path)) out.push({ file: u.path, status: 'not read', why: u.reason, group: 'links and special files not followed', reported: false });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

function standing(f: FileFacts, gives: string | undefined, charts: Set<string>, composeDirs: Set<string>): Standing {
  const contributes = (why: string): Standing => ({ status: 'contributes', why: gives ? `${why}: ${gives}` : why, group: 'contributes' });
  const nothing = (group: string, why = group): Standing => ({ status: 'nothing to check', why, group });
  if (f.kind === 'skipped') {
    if (RENDERED[f.reason]) return contributes(RENDERED[f.reason]);
    if (CONFIG_FILES.includes(f.file)) return contributes('Port Parity\'s configuration');
    // Another folder's configuration: read when that folder is the one checked.
    if (CONFIG_FILES.includes(posix.basename(f.file))) return { status: 'not read', why: `Port Parity's configuration of ${dirOf(f.file)}/, read when that folder is checked`, group: 'configurations of other folders' };
    if (f.reason === 'template' && owningDir(f.file, charts) !== undefined) return contributes('a template its Helm chart\'s render reads');
    // What the finding at the file says, else the reason it is only listed.
    const why = f.unknowns?.[0]?.message ?? f.problems[0]?.message ?? f.reason;
    return { status: 'not read', why, group: NOT_DEPLOYMENT.has(f.reason) ? 'not deployment configuration' : f.reason.includes(', read there') ? 'links to files read there' : f.reason };
  }
  if (gives) return contributes('read');
  if (f.kind === 'kubernetes') {
    const own = f.services.length + f.backends.length + f.networkPolicies.length + f.configMaps.length;
    if (own) return contributes('Services, routes, policies or ConfigMaps checked on their own');
    if (f.workloads.length) return nothing('workloads that join no service', `workloads that join no service of the model (${f.workloads.map((w) => `${w.kind} ${w.name}`).join(', ')})`);
    return nothing('only Kubernetes kinds Port Parity does not read', `no object of a kind Port Parity reads ports from (${[...new Set(f.otherKinds ?? [])].sort().join(', ') || 'none'})`);
  }
  if (f.kind === 'compose') {
    if (f.writtenByLocal) return nothing('overrides port-parity local wrote', 'an override port-parity local wrote: Compose runs it only with -f or COMPOSE_FILE, and Port Parity reads it only where COMPOSE_FILE lists it');
    if (!f.services.length) return nothing('compose files that join no service', 'a compose file that defines no service');
    const names = f.services.map((c) => c.name).join(', ');
    // A fragment layered on another file with `docker compose -f` (labels for a proxy, say).
    const bare = f.services.every((c) => !c.image && !c.build && !c.ports.length && !c.expose.length);
    return nothing('compose files that join no service', bare ? `services with no image, build or port (${names}): a fragment for \`docker compose -f\` with another file, joined to none` : `services that join no service of the model (${names})`);
  }
  if (f.kind === 'dotenv') return composeDirs.has(dirOf(f.file)) ? contributes('variables for the compose files beside it') : nothing('.env files no service reads', 'a .env file no service reads');
  if (f.kind === 'dockerfile') return nothing('Dockerfiles no service builds', 'a Dockerfile no service builds or is named after');
  return nothing('files that declare no process', 'declares no process');
}

/** The services each file makes up (in any environment or variant). */
function servicesByFile(model: Model): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of model.services.values()) {
    for (const v of s.views.values()) {
      for (const p of partsOfView(v)) {
        let set = out.get(p.file);
        if (!set) out.set(p.file, (set = new Set()));
        set.add(s.name || '(no name)');
      }
    }
  }
  return out;
}

/** Every file found, grouped by where it stands, each group with its title (empty groups left out). */
function fileGroups(accounts: readonly FileAccount[]): [string, FileAccount[]][] {
  const groups: [string, (a: FileAccount) => boolean][] = [
    ['Files that make up services or are checked', (a) => a.status === 'contributes'],
    ['Files read with nothing to check', (a) => a.status === 'nothing to check'],
    ['Files not read, each with a skipped-source note', (a) => a.status === 'not read' && a.reported],
    ['Files not read, listed only (plainly not deployment configuration, links, folders)', (a) => a.status === 'not read' && !a.reported],
  ];
  return groups.map(([title, pick]): [string, FileAccount[]] => [title, accounts.filter(pick)]).filter(([, list]) => list.length > 0);
}

/** `explain --files`: every file found, grouped by where it stands. */
export function explainFiles(accounts: readonly FileAccount[]): string {
  return fileGroups(accounts).map(([title, list]) => [`${title} (${list.length}):`, ...list.map((a) => `  ${a.file}: ${a.why}`), ''].join('\n')).join('\n');
}

/** `explain --files` as Markdown. */
export function explainFilesMarkdown(accounts: readonly FileAccount[]): string {
  return fileGroups(accounts).map(([title, list]) => [`## ${title} (${list.length})`, '', ...list.map((a) => `- ${code(a.file)}: ${a.why}`), ''].join('\n')).join('\n');
}

/** The files found that give nothing and that no finding mentions, counted by why: the report's closing line. */
export function quietUnused(accounts: readonly FileAccount[]): { count: number; reasons: [string, number][] } {
  const by = new Map<string, number>();
  for (const a of accounts) if (a.status !== 'contributes' && !a.reported) by.set(a.group, (by.get(a.group) ?? 0) + 1);
  const reasons = [...by].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { count: reasons.reduce((n, [, c]) => n + c, 0), reasons };
}
