// Compose projects into the model: base + overrides per environment, merged as Compose merges them,
// one unit per service and environment; the services' names claim identity first.
import { posix } from 'node:path';
import { ensureUnits, imageBase, joinRel, mergeByFile, push, unitKey, unitsOf } from '../../join';
import type { FormatJoin, Join, Placement, UnitKey } from '../../join';
import type { EnvView, Model } from '../../model';
import { dirOf } from '../../paths';
import { composeHosts } from './hosts';
import type { ComposeFacts, ComposeService, EnvVar } from '../../types';

export interface ComposeUnit {
  service: ComposeService;
  /** The project folder and the files merged for this environment, base first. */
  dir: string;
  files: string[];
}

/** What Compose gives a view: its service, and the variables of its env_files. */
export interface ComposeView {
  unit?: ComposeUnit;
  envFileVars: EnvVar[];
}

const VIEW: UnitKey<ComposeView> = unitKey('compose');
const INDEX = 'compose';

/** The compose service of a view, if Compose runs it there. */
export function composeOf(v: EnvView): ComposeUnit | undefined {
  return unitsOf(v, VIEW)?.unit;
}

/** The variables a view's compose service loads from its env_files. */
export function envFileVarsOf(v: EnvView): EnvVar[] {
  return unitsOf(v, VIEW)?.envFileVars ?? [];
}

/** Compose projects' merged services by environment, for duplicate host ports. */
export function composeByEnv(model: Pick<Model, 'indexes'>): Map<string, ComposeUnit[]> {
  return (model.indexes.get(INDEX) as Map<string, ComposeUnit[]> | undefined) ?? new Map();
}

export const composeJoin: FormatJoin = {
  kind: 'compose',
  order: 1,
  run(facts, { j }) {
    const byDir = new Map<string, ComposeFacts[]>();
    for (const f of facts as ComposeFacts[]) push(byDir, dirOf(f.file), f);
    const out: Placement[] = [];
    for (const [dir, files] of [...byDir].sort((a, b) => a[0].localeCompare(b[0]))) {
      j.projectDirs.add(dir);
      for (const [env, parts] of composeProjects(dir, files, j)) {
        for (const unit of mergedServices(dir, env, parts, j)) {
          out.push({ env, policy: 'own', counts: true, stage: 0, place: (e, at) => placeUnit(e, unit, at.views.view(j.keyOf(unit.service.name) ?? unit.service.name, e), at.index(INDEX, () => new Map<string, ComposeUnit[]>())) });
        }
      }
    }
    return out;
  },
  signature: (f) => (f.kind === 'compose' ? JSON.stringify(f.services.map((s) => [s.name, s.image, s.build?.context, s.build?.dockerfile, s.build?.target, s.containerName, s.aliases, s.envFiles])) : ''),
  vars: (f) => (f.kind === 'compose' ? f.services.flatMap((s) => s.environment) : []),
  project: (f) => dirOf(f.file),
  hosts: composeHosts,
  // A compose file not read whole keeps only the named services (read for them, not for its own findings).
  narrow: (f, keep) => (f.kind === 'compose' ? { ...f, services: f.services.filter((s) => keep.has(s.name)), problems: [], unknowns: undefined } : f),
  relate(model, sink, wanted) {
    for (const s of model.services.values()) {
      if (!wanted(s.name)) continue;
      for (const v of s.views.values()) {
        const c = composeOf(v)?.service;
        if (c) for (const h of [c.name, c.containerName, ...c.aliases]) if (h) sink.host(h, s.name);
      }
    }
  },
  // Compose projects read only in part keep the whole's units; re-read ones take the part's.
  mergeIndex: (whole, part, _files, fresh) => mergeByFile((whole ?? new Map()) as Map<string, ComposeUnit[]>, (part ?? new Map()) as Map<string, ComposeUnit[]>, (u) => u.files.some((f) => fresh.has(f))),
  finish({ views, facts }) {
    for (const s of views.services.values()) {
      for (const v of s.views.values()) {
        const c = composeOf(v);
        if (!c) continue;
        for (const p of c.service.envFiles) {
          const ef = facts.get(joinRel(c.dir, p));
          if (ef?.kind === 'dotenv') ensureUnits(v, VIEW, () => ({ envFileVars: [] })).envFileVars.push(...ef.vars);
        }
      }
    }
  },
};

function placeUnit(env: string, unit: ComposeUnit, v: EnvView, byEnv: Map<string, ComposeUnit[]>): void {
  ensureUnits(v, VIEW, () => ({ envFileVars: [] })).unit = unit;
  push(byEnv, env, unit);
}

/** One project's services merged across its files, each claiming its name, image and build. */
function mergedServices(dir: string, env: string, parts: ComposeFacts[], j: Join): ComposeUnit[] {
  // Which parts name each service, looked up once per service (a file may hold thousands).
  const named = parts.map((p) => new Set(p.services.map((x) => x.name)));
  const merged = new Map<string, ComposeService>();
  for (const part of parts) for (const s of part.services) merged.set(s.name, merged.has(s.name) ? mergeCompose(merged.get(s.name) as ComposeService, s) : s);
  const out: ComposeUnit[] = [];
  for (const s of merged.values()) {
    const key = j.keyOf(s.name) ?? s.name;
    j.claim(key, s.name);
    if (s.build) {
      j.claim(key, imageBase(s.image));
      j.builds(joinRel(joinRel(dir, s.build.context), s.build.dockerfile ?? 'Dockerfile'), key, env, s.build.target, s.build.args);
    }
    out.push({ service: s, dir, files: parts.filter((_, i) => named[i].has(s.name)).map((p) => p.file) });
  }
  return out;
}

/** A folder's compose files by environment, base first: the base and its overrides, and each environment's file over the base. */
function composeProjects(dir: string, files: ComposeFacts[], j: Join): Map<string, ComposeFacts[]> {
  const dirEnv = j.marked(dir ? `${dir}/x` : 'x');
  const byName = (f: ComposeFacts): { env?: string; override: boolean } => {
    const base = posix.basename(f.file).toLowerCase();
    return { env: j.matcher.envOfName(base), override: /(^|[.-])override([.-]|$)/.test(base) };
  };
  const bases = files.filter((f) => !byName(f).env && !byName(f).override);
  const base = bases.sort((a, b) => a.file.localeCompare(b.file))[0];
  const overrides = files.filter((f) => byName(f).override);
  const baseEnv = dirEnv ?? 'local';
  const projects = new Map<string, ComposeFacts[]>();
  if (base) {
    projects.set(baseEnv, [base, ...overrides]);
    j.fileEnv.set(base.file, baseEnv);
    for (const o of overrides) j.fileEnv.set(o.file, baseEnv);
  }
  for (const f of files) {
    const e = byName(f).env;
    if (!e || f === base) continue;
    projects.set(e, [...(base ? [base] : []), f]);
    j.fileEnv.set(f.file, e);
  }
  return projects;
}

/** Compose's merge: maps key by key, ports unique by mapping, command/entrypoint/healthcheck replaced. */
export function mergeCompose(base: ComposeService, over: ComposeService): ComposeService {
  // Keys the override tags `!override`/`!reset` start from nothing: the base's entries are dropped.
  const keep = (key: string): boolean => !over.replaced?.includes(key);
  const portKey = (p: ComposeService['ports'][number]): string => `${p.hostIp ?? ''}|${p.host?.port ?? ''}|${p.container.port ?? p.container.raw}|${p.protocol}`;
  const ports = new Map<string, ComposeService['ports'][number]>();
  for (const p of [...(keep('ports') ? base.ports : []), ...over.ports]) if (!ports.has(portKey(p))) ports.set(portKey(p), p);
  const env = new Map<string, EnvVar>();
  for (const e of [...(keep('environment') ? base.environment : []), ...over.environment]) env.set(e.name, e);
  const expose = new Map<string, ComposeService['expose'][number]>();
  for (const e of [...(keep('expose') ? base.expose : []), ...over.expose]) if (!expose.has(`${e.port}/${e.protocol}`)) expose.set(`${e.port}/${e.protocol}`, e);
  return {
    ...base,
    image: over.image ?? base.image,
    build: over.build ?? base.build,
    containerName: over.containerName ?? base.containerName,
    aliases: [...base.aliases, ...over.aliases],
    ports: [...ports.values()],
    expose: [...expose.values()],
    environment: [...env.values()],
    envFiles: [...(keep('env_file') ? base.envFiles : []), ...over.envFiles],
    command: over.command ?? (keep('command') ? base.command : undefined),
    entrypoint: over.entrypoint ?? (keep('entrypoint') ? base.entrypoint : undefined),
    healthchecks: over.hasHealthcheck || !keep('healthcheck') ? over.healthchecks : base.healthchecks,
    hasHealthcheck: base.hasHealthcheck || over.hasHealthcheck,
    networkModeHost: over.networkModeHost || base.networkModeHost,
  };
}
