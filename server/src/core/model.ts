// The workspace model: which files make up each service, in which environment, and its internal ports.
// buildModel knows no format: each format plug-in's join (formats/<id>/join.ts) claims identities and
// gives placements; this file places them into environments and views, format-blind.
import { applications } from './applications';
import type { Config } from './config';
import { compareEnvs, DEFAULT_ENV, envMatcher, normalizeEnv } from './environments';
import type { EnvMatcher } from './environments';
import { JOINS } from './formats/registry';
import { Join, joinRel, push, Views } from './join';
import type { PlaceContext, Placement } from './join';
import { declaringParts } from './parts';
import { commonFolder, dirOf } from './paths';
import type { EnvView, Model, ModelContext, PortDecl, Role, ServiceModel } from './model-types';
import type { ComposeFacts, FileFacts } from './types';

export { imageBase } from './join';

export type { EnvView, Model, ModelContext, PortDecl, Role, ServiceModel } from './model-types';
export { portSet } from './model-types';

export { JOINS } from './formats/registry';

/** `context`: given when modelling part of a workspace (the language server's incremental path). */
export function buildModel(factsList: FileFacts[], config: Config, context?: ModelContext): Model {
  const matcher = envMatcher(config.environments);
  const roots = context?.appRoots ?? factsList.flatMap((f) => (f.kind === 'compose' ? [appFolder(f, matcher)] : []));
  const j = new Join(matcher, applications(roots, config.applications));
  const facts = new Map(factsList.map((f) => [f.file, f]));
  for (const f of factsList) if (!(f.kind === 'kubernetes' && f.env)) j.fileEnv.set(f.file, j.marked(f.file));
  const byKind = new Map<string, FileFacts[]>();
  for (const f of factsList) push(byKind, f.kind, f);
  const placements = JOINS.flatMap((x) => x.run(byKind.get(x.kind) ?? [], { j, context, name: config.name }));
  const envs = environments(placements, j, context);
  const views = new Views();
  const indexes = new Map<string, unknown>();
  const at: PlaceContext = { views, index: <T>(id: string, make: () => T): T => (indexes.has(id) ? (indexes.get(id) as T) : (indexes.set(id, make()).get(id) as T)) };
  place(placements, envs, at);
  shareWithVariants(views);
  for (const x of JOINS) x.finish?.({ ...at, facts });
  const allEnvs = new Set(envs.envSet);
  for (const s of views.services.values()) for (const v of s.views.values()) allEnvs.add(v.env);
  for (const s of views.services.values()) finishService(s, config, j);
  const modelEnvs = context ? context.envs : [...allEnvs].sort(compareEnvs);
  const { fileEnv } = j;
  return {
    context: context ?? { ...envs.computed, envs: modelEnvs },
    partial: !!context,
    config,
    envs: modelEnvs,
    services: views.services,
    facts,
    fileEnv,
    indexes,
    envOfFile: (file) => (fileEnv.has(file) ? fileEnv.get(file) : j.marked(file)),
  };
}

/**
 * The folder of a compose file's application: the folder holding it and everything it builds
 * (`stack-03/` building `../services/api` is the monorepo's root), above the first folder that names an
 * environment (`deploy/local/` and `deploy/production/` are one application's environments, `deploy`).
 */
function appFolder(f: ComposeFacts, matcher: EnvMatcher): string {
  let dir = dirOf(f.file);
  for (const s of f.services) if (s.build) dir = commonFolder(dir, joinRel(dirOf(f.file), s.build.context));
  const segs = dir ? dir.split('/') : [];
  for (let i = 0; i < segs.length; i++) if (matcher.envOf(segs.slice(0, i + 1).join('/'))) return segs.slice(0, i).join('/');
  return dir;
}

interface Envs {
  envSet: Set<string>;
  /** The environments an unmarked `base` unit goes to. */
  baseEnvs: string[];
  marked: Map<string, Set<string>>;
  computed: Omit<ModelContext, 'envs'>;
}

/**
 * Environments: every marker seen (compose's own are `local` when unmarked). Unmarked manifests go to
 * the environments marked manifests name; without those, to the environments other deployment files
 * name (a Dockerfile.prod, .env.staging; not those only Compose names); else to `default`. A part of
 * a workspace takes the whole's.
 */
function environments(placements: Placement[], j: Join, context?: ModelContext): Envs {
  const counted = placements.filter((p) => p.counts);
  const envSet = new Set(counted.map((p) => p.env).filter((e): e is string => !!e));
  const envsOf = (ps: Placement[]): string[] => [...new Set(ps.map((p) => p.env).filter((e): e is string => !!e))];
  let baseEnvs = envsOf(counted.filter((p) => p.policy === 'base'));
  if (baseEnvs.length === 0) baseEnvs = envsOf(counted.filter((p) => p.policy === 'follows')).filter((e) => e !== 'local');
  if (baseEnvs.length === 0 && counted.some((p) => p.policy === 'base' && !p.env)) baseEnvs = [DEFAULT_ENV];
  const marked = new Map<string, Set<string>>();
  for (const p of placements) if (p.env && p.mark) marked.set(p.mark, (marked.get(p.mark) ?? new Set()).add(p.env));
  const orchestrated = j.keys();
  const computed = { envSet: [...envSet], baseEnvs: [...baseEnvs], soleService: orchestrated.size === 1 ? [...orchestrated][0] : undefined, marked, appRoots: j.apps.roots };
  if (context) {
    envSet.clear();
    for (const e of context.envSet) envSet.add(e);
    baseEnvs = [...context.baseEnvs];
    // A part may hold a service's unmarked manifest without the marked ones: the whole workspace says.
    for (const [k, es] of context.marked) for (const e of es) marked.set(k, (marked.get(k) ?? new Set()).add(e));
  }
  return { envSet, baseEnvs, marked, computed };
}

/** Every unit into its environments, stage by stage. */
function place(placements: Placement[], envs: Envs, at: PlaceContext): void {
  const stages = [...new Set(placements.map((p) => p.stage))].sort((a, b) => a - b);
  for (const stage of stages) {
    for (const p of placements) {
      if (p.stage !== stage) continue;
      for (const env of targets(p, envs, at)) p.place(env, at);
    }
  }
}

function targets(p: Placement, envs: Envs, at: PlaceContext): string[] {
  if (p.env) return [p.env];
  const notMarked = (e: string): boolean => !(p.mark && envs.marked.get(p.mark)?.has(e));
  if (p.policy === 'base') return envs.baseEnvs.filter(notMarked);
  if (p.policy !== 'follows' || !p.key) return [];
  const runs = at.views.runEnvs(p.key).filter(notMarked);
  if (runs.length === 0 && p.orphanDefault && !at.views.services.has(p.key)) return [DEFAULT_ENV];
  return runs;
}

/**
 * A variant replaces what its own format defines of the service (its compose service); the rest of the
 * main view (the image it runs, its .env files, what platforms say) is the variant's too.
 */
function shareWithVariants(views: Views): void {
  for (const s of views.services.values()) {
    for (const v of s.views.values()) {
      // Another project's service of the name (foreign) runs its own image and files: nothing of the main view is its.
      if (v.variant === undefined || v.foreign) continue;
      const main = s.views.get(v.env) as EnvView;
      for (const [id, u] of main.units) if (!v.units.has(id)) v.units.set(id, u);
      if (v.processes.length === 0) v.processes.push(...main.processes);
    }
  }
}

/** The declared internal ports of every view; views in table order; the contract and the reference. */
function finishService(s: ServiceModel, config: Config, j: Join): void {
  const id = j.identity.get(s.name);
  if (id) s.application = { name: id.application, service: id.name };
  for (const v of s.views.values()) v.declared = declaredPorts(v);
  // Views in table order (a variant after its environment's main view), whatever order the files came
  // in (a partial model must equal the whole's).
  s.views = new Map([...s.views].sort((a, b) => compareEnvs(a[1].env, b[1].env) || (a[1].variant ?? '').localeCompare(b[1].variant ?? '')));
  // Own keys only: a service named like an Object property (constructor, toString) has no contract.
  // A contract names a service by its key (`shop/api`) or, for any application's, by its name (`api`).
  const named = [s.name, id?.name].find((n) => n !== undefined && Object.hasOwn(config.services, n));
  s.contract = named === undefined ? undefined : config.services[named];
  // The configured reference, else the environment closest to production that declares the service.
  const have = [...s.views.values()].filter((v) => v.variant === undefined && v.declared.length > 0).map((v) => v.env);
  const preference = [normalizeEnv(config.reference), 'production', 'staging', 'test', 'local', DEFAULT_ENV, ...have.sort(compareEnvs)];
  s.reference = preference.find((e) => have.includes(e));
}

/**
 * The internal ports a view declares, from the port tokens formats mark as declaring: where the
 * process listens (a containerPort, a compose container port), else where its platform routes traffic
 * to (judged against the process by unserved-port, not the other way), else EXPOSE.
 */
export function declaredPorts(v: EnvView): PortDecl[] {
  const parts = declaringParts(v).filter((p) => p.port !== undefined);
  const tier = (role: string, as: Role): PortDecl[] => parts.filter((p) => p.role === role).map((p) => ({ port: p.port as number, protocol: p.protocol ?? 'TCP', name: p.name, role: as, text: p.text, loc: p.loc, literal: p.literal }));
  const listens = tier('listens', 'listens');
  if (listens.length) return listens;
  const routed = tier('routed-to', 'routed');
  return routed.length ? routed : tier('exposed', 'expose');
}
