// Compose projects into the model: base + overrides per environment, merged as Compose merges them,
// one unit per service and environment; the services' names claim identity first.
import { ensureUnits, imageBase, joinRel, mergeByFile, push, unitKey, unitsOf } from '../../join';
import type { FormatJoin, Join, PlaceContext, Placement, UnitKey } from '../../join';
import type { EnvView, Model } from '../../model-types';
import { dirOf } from '../../paths';
import { composeHosts } from './hosts';
import { composeProjects, namesOf } from './projects';
import type { ComposeFacts, ComposeService, EnvVar } from '../../types';

export interface ComposeUnit {
  service: ComposeService;
  /** Set when it is a variant of the service (another file of the folder defines it too): that file. */
  variant?: string;
  /** The project folder and the files merged for this environment, base first. */
  dir: string;
  /** The project it runs in (its folder; a variant that stands alone, its folder and file): what runs together. */
  project: string;
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
    for (const dir of byDir.keys()) j.projectDirs.add(dir);
    const out: Placement[] = [];
    const projects = composeProjects(byDir, j);
    // What each folder's main project defines in each environment: a variant's service defined there too is kept apart.
    const defined = new Set<string>();
    for (const p of projects) if (!p.variant) for (const f of p.files) for (const n of namesOf(f)) defined.add(`${p.dir}|${p.env}|${n}`);
    for (const p of projects) {
      const own = p.variant && p.variant.completes ? new Set(namesOf(p.variant.file)) : undefined;
      // A variant that completes the base speaks for the services it names; the base's others are the main project's.
      const app = j.appOf(p.dir);
      for (const unit of mergedServices(p.dir, p.env, p.files, j, own)) {
        const variant = p.variant && defined.has(`${p.dir}|${p.env}|${unit.service.name}`) ? p.variant.file.file : undefined;
        // What runs together: the folder's project; a variant, an environment's file (`-f base -f it`) or a
        // file that stands alone is a run of its own (a folder's local-a-compose.yml and local-b-compose.yml are two).
        const last = p.files[p.files.length - 1].file;
        const project = p.variant ? `${p.dir}|${p.variant.file.file}` : p.standalone || p.files.length === 1 || p.env !== p.home ? `${p.dir}|${last}` : p.dir;
        out.push({ env: p.env, policy: 'own', counts: true, stage: 0, place: (e, at) => placeUnit(e, { ...unit, variant, project }, at, j.keyIn(app, unit.service.name) ?? unit.service.name) });
      }
    }
    return out;
  },
  signature: (f) => (f.kind === 'compose' ? JSON.stringify([f.composeFile, f.services.map((s) => [s.name, s.image, s.build?.context, s.build?.dockerfile, s.build?.target, s.containerName, s.aliases, s.envFiles])]) : ''),
  vars: (f) => (f.kind === 'compose' ? f.services.flatMap((s) => s.environment) : []),
  project: (f) => dirOf(f.file),
  hosts: composeHosts,
  // A compose file not read whole keeps only the named services (read for them, not for its own findings).
  // (A key names the service's application where the workspace holds several: `shop/api` keeps `api`.)
  narrow: (f, keep) => (f.kind === 'compose' ? { ...f, services: f.services.filter((s) => keep.has(s.name) || [...keep].some((k) => k.endsWith(`/${s.name}`))), names: namesOf(f), problems: [], unknowns: undefined } : f),
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

function placeUnit(env: string, unit: ComposeUnit, at: PlaceContext, key: string): void {
  let v = unit.variant === undefined ? at.views.view(key, env) : at.views.variant(key, env, unit.variant);
  // Another project already defines the service here (a second folder's stack): another application's
  // service of that name, kept apart, never a silent replacement, never compared with this one's reference.
  const there = unitsOf(v, VIEW)?.unit;
  if (there && there.project !== unit.project) v = at.views.variant(key, env, unit.files[unit.files.length - 1], true);
  ensureUnits(v, VIEW, () => ({ envFileVars: [] })).unit = unit;
  const b = unit.service.build;
  if (b) (v.builds ??= new Set()).add(joinRel(joinRel(unit.dir, b.context), b.dockerfile ?? 'Dockerfile'));
  push(at.index(INDEX, () => new Map<string, ComposeUnit[]>()), env, unit);
}

/** One project's services (`only` those) merged across its files, each claiming its name, image and build. */
function mergedServices(dir: string, env: string, parts: ComposeFacts[], j: Join, only?: Set<string>): ComposeUnit[] {
  // Which parts name each service, looked up once per service (a file may hold thousands).
  const named = parts.map((p) => new Set(p.services.map((x) => x.name)));
  const merged = new Map<string, ComposeService>();
  for (const part of parts) for (const s of part.services) if (!only || only.has(s.name)) merged.set(s.name, merged.has(s.name) ? mergeCompose(merged.get(s.name) as ComposeService, s) : s);
  const out: ComposeUnit[] = [];
  const app = j.appOf(dir);
  for (const s of merged.values()) {
    const key = j.keyIn(app, s.name) ?? j.newKey(app, s.name);
    j.claimIn(app, key, s.name);
    if (s.build) {
      j.claimIn(app, key, imageBase(s.image));
      // The image it builds is known by its name, else by the service's own (what a registry push would call it).
      j.buildsImage(imageBase(s.image) ?? s.name, key);
      j.builds(joinRel(joinRel(dir, s.build.context), s.build.dockerfile ?? 'Dockerfile'), key, env, s.build.target, s.build.args);
    }
    out.push({ service: s, dir, project: dir, files: parts.filter((_, i) => named[i].has(s.name)).map((p) => p.file) });
  }
  return out;
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
