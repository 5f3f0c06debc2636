// Compose projects into the model: base + overrides per environment, merged as Compose merges them,
// one unit per service and environment; the services' names claim identity first.
import { buildFile, ensureUnits, imageBase, joinRel, mergeByFile, push, unitKey, unitsOf } from '../../join';
import type { FormatJoin, Join, PlaceContext, Placement, UnitKey } from '../../join';
import type { EnvView, Model } from '../../model-types';
import { dirOf } from '../../paths';
import { composeHosts } from './hosts';
import { addIncludes, composeProjects, includedFiles, namesOf } from './projects';
import type { ComposeProject } from './projects';
import { extendedFiles, rebase, resolveExtends } from './extends';
import { mergeCompose } from './merge';
import type { ComposeFacts, ComposeService, EnvVar, Problem } from '../../types';

export interface ComposeUnit {
  service: ComposeService;
  /** Set when it is a variant of the service (another file of the folder defines it too): that file. */
  variant?: string;
  /** The project folder and the files merged for this environment, base first. */
  dir: string;
  /** The project it runs in (its folder; a variant that stands alone, its folder and file): what runs together. */
  project: string;
  files: string[];
  /** Brought in by the project's `include:`. */
  included?: boolean;
  /** The profiles the project's `.env` enables (`COMPOSE_PROFILES`). */
  enabled?: string[];
  /** Other project folders whose services reach it by name (a project that includes its file, which is its folder's project too). */
  also?: string[];
}

/** What Compose gives a view: its service, and the variables of its env_files. */
export interface ComposeView {
  unit?: ComposeUnit;
  envFileVars: EnvVar[];
}

const VIEW: UnitKey<ComposeView> = unitKey('compose');
const INDEX = 'compose';
const NOTES = 'compose-notes';

/** What the join could not follow (an `extends` cycle, an include not read): skipped-source reports them at the key. */
export function composeNotes(model: Pick<Model, 'indexes'>): Problem[] {
  return (model.indexes.get(NOTES) as Problem[] | undefined) ?? [];
}

/** The compose service of a view, if Compose runs it there. */
export function composeOf(v: EnvView): ComposeUnit | undefined {
  return unitsOf(v, VIEW)?.unit;
}

/** The variables a view's compose service loads from its env_files. */
export function envFileVarsOf(v: EnvView): EnvVar[] {
  return unitsOf(v, VIEW)?.envFileVars ?? [];
}

/**
 * Whether two services of one project start together: both by default (no `profiles:`, or one that the
 * project's `COMPOSE_PROFILES` enables), or under a profile they share. A profile-only service is an
 * alternative (`app-debug` on app's port) until a profile they share, or the project, starts both.
 */
export function startTogether(a: ComposeUnit, b: ComposeUnit): boolean {
  return (startsByDefault(a) && startsByDefault(b)) || !!a.service.profiles?.some((p) => b.service.profiles?.includes(p));
}

/** `docker compose up` starts it: it has no profiles, or the project's `COMPOSE_PROFILES` enables one (`*`: all). */
export function startsByDefault(u: ComposeUnit): boolean {
  return !u.service.profiles?.length || !!u.enabled?.some((p) => p === '*' || u.service.profiles?.includes(p));
}

/** Compose projects' merged services by environment, for duplicate host ports. */
export function composeByEnv(model: Pick<Model, 'indexes'>): Map<string, ComposeUnit[]> {
  return (model.indexes.get(INDEX) as Map<string, ComposeUnit[]> | undefined) ?? new Map();
}

export const composeJoin: FormatJoin = {
  kind: 'compose',
  order: 1,
  run(facts, { j }) {
    // `extends` first: each file's services as Compose reads them, before any file is merged over another.
    const { files, notes } = resolveExtends(facts as ComposeFacts[]);
    const byDir = new Map<string, ComposeFacts[]>();
    for (const f of files) push(byDir, dirOf(f.file), f);
    for (const dir of byDir.keys()) j.projectDirs.add(dir);
    const out: Placement[] = [];
    const referenced = new Set((facts as ComposeFacts[]).flatMap((f) => [...extendedFiles(f), ...includedFiles(f)]));
    const projects = composeProjects(byDir, j, referenced);
    addIncludes(projects, new Map(files.map((f) => [f.file, f])), notes);
    readThroughEnvs(projects, j);
    // Not a unit: a placement that counts for no environment, so that the notes land in the model's indexes.
    if (notes.length) out.push({ env: 'local', policy: 'own', counts: false, stage: 0, place: (_e, at) => void at.index(NOTES, () => notes) });
    // What each folder's main project defines in each environment: a variant's service defined there too is kept apart.
    const defined = new Set<string>();
    for (const p of projects) if (!p.variant) for (const f of p.files) for (const n of namesOf(f)) defined.add(`${p.dir}|${p.env}|${n}`);
    for (const p of projects) {
      // What runs together: the folder's project; a variant, an environment's file (`-f base -f it`) or a
      // file that stands alone is a run of its own (a folder's local-a-compose.yml and local-b-compose.yml are two).
      const last = p.files[p.files.length - 1].file;
      const project = p.variant ? `${p.dir}|${p.variant.file.file}` : p.standalone || p.files.length === 1 || p.env !== p.home ? `${p.dir}|${last}` : p.dir;
      const own = p.variant && p.variant.completes ? new Set(namesOf(p.variant.file)) : undefined;
      const enabled = p.files[0].profilesEnabled;
      // A variant that completes the base speaks for the services it names; the base's others are the main project's.
      const app = j.appOf(p.dir);
      const units = mergedServices(p.dir, p.env, p.files, j, own).map((unit) => ({ unit, app }));
      const names = new Set(units.map((u) => u.unit.service.name));
      for (const set of own ? [] : p.included ?? []) units.push(...includedUnits(p.dir, p.env, set, j, names, notes));
      for (const { unit, app: home } of units) {
        const variant = p.variant && defined.has(`${p.dir}|${p.env}|${unit.service.name}`) ? p.variant.file.file : undefined;
        const key = j.keyIn(home, unit.service.name) ?? unit.service.name;
        out.push({ env: p.env, policy: 'own', counts: true, stage: 0, place: (e, at) => placeUnit(e, { ...unit, variant, project, enabled }, at, key) });
      }
    }
    return out;
  },
  signature: (f) => (f.kind === 'compose' ? JSON.stringify([f.composeFile, f.writtenByLocal, f.profilesEnabled, f.includes?.map((i) => i.paths), f.services.map((s) => [s.name, s.image, s.build?.context, s.build?.dockerfile, s.build?.target, s.containerName, s.aliases, s.envFiles, s.extends?.file, s.extends?.service, s.profiles])]) : ''),
  vars: (f) => (f.kind === 'compose' ? f.services.flatMap((s) => s.environment) : []),
  // Its folder, and the folders of the files it includes, extends from or lists (COMPOSE_FILE): an edit to one reads the other whole.
  project: (f) => (f.kind === 'compose' ? [...new Set([dirOf(f.file), ...[...extendedFiles(f), ...includedFiles(f), ...(f.composeFile ?? []).map((p) => joinRel(dirOf(f.file), p))].map(dirOf)])] : [dirOf(f.file)]),
  hosts: composeHosts,
  // A compose file not read whole keeps only the named services (read for them, not for its own findings).
  // (A key names the service's application where the workspace holds several: `shop/api` keeps `api`.)
  narrow(f, keep) {
    if (f.kind !== 'compose') return f;
    const names = new Set([...keep].map((k) => k.slice(k.lastIndexOf('/') + 1)));
    return { ...f, services: f.services.filter((s) => names.has(s.name)), names: namesOf(f), problems: [], unknowns: undefined };
  },
  relate(model, sink, wanted) {
    for (const s of model.services.values()) {
      if (!wanted(s.name)) continue;
      for (const v of s.views.values()) {
        const c = composeOf(v)?.service;
        if (c) for (const h of [c.name, c.containerName, ...c.aliases]) if (h) sink.host(h, s.name);
        // What it extends is read with it (a file read in part keeps the services the context names).
        for (const i of c?.inherits ?? []) sink.depends(s.name, i.service);
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
  const units = ensureUnits(v, VIEW, () => ({ envFileVars: [] }));
  push(at.index(INDEX, () => new Map<string, ComposeUnit[]>()), env, unit);
  if (there && there.project !== unit.project && sameDefinition(there, unit)) {
    // A file that is its folder's project and another's include: one definition, run with both projects
    // (each one's duplicate-port sees it), reached by name from both, shown and judged once, as its own project's.
    const [mine, other] = there.included ? [unit, there] : [there, unit];
    mine.also = [...(mine.also ?? []), other.dir];
    units.unit = mine;
    return;
  }
  if (there && there.project !== unit.project) v = at.views.variant(key, env, unit.files[unit.files.length - 1], true);
  ensureUnits(v, VIEW, () => ({ envFileVars: [] })).unit = unit;
  const b = unit.service.build;
  if (b) (v.builds ??= new Set()).add(buildFile(unit.dir, b));
}

/**
 * A file read only through others' `extends` or `include` is in the environment of the projects that
 * read it, when they are all of one (a fix may edit it there); read by several, it is shared: none.
 */
function readThroughEnvs(projects: ComposeProject[], j: Join): void {
  const own = new Set(projects.flatMap((p) => p.files.map((f) => f.file)));
  const envs = new Map<string, Set<string>>();
  const add = (file: string, env: string): void => void (own.has(file) || envs.set(file, (envs.get(file) ?? new Set()).add(env)));
  for (const p of projects) {
    for (const f of [...p.files, ...(p.included ?? []).flat()]) for (const s of f.services) for (const i of s.inherits ?? []) add(i.file, p.env);
    for (const f of (p.included ?? []).flat()) add(f.file, p.env);
  }
  for (const [file, set] of envs) j.fileEnv.set(file, set.size === 1 ? [...set][0] : undefined);
  // A folder's .env interpolates every compose file of the folder: it is the environment of the runs
  // that read them when they are all of one (a port set there is fixed there), else shared by several.
  const dotenv = new Map<string, Set<string>>();
  for (const p of projects) for (const f of [...p.files, ...(p.included ?? []).flat()]) dotenv.set(dirOf(f.file), (dotenv.get(dirOf(f.file)) ?? new Set()).add(p.env));
  for (const [dir, set] of dotenv) j.fileEnv.set(joinRel(dir, '.env'), set.size === 1 ? [...set][0] : undefined);
}

/** Two units of the same files' definition of a service (an included file that is its folder's project too). */
function sameDefinition(a: ComposeUnit, b: ComposeUnit): boolean {
  return (a.included || b.included) === true && a.service.nameLoc.file === b.service.nameLoc.file && a.service.nameLoc.start === b.service.nameLoc.start && a.files.join('|') === b.files.join('|');
}

/**
 * The services of one `include:` item, joining the project in `dir`: their paths made the project's (as
 * Compose resolves each file's against its own folder). A name the project defines already is Compose's
 * error ("conflicts with imported resource"): that one is left out, said.
 */
function includedUnits(dir: string, env: string, set: ComposeFacts[], j: Join, names: Set<string>, notes: Problem[]): { unit: ComposeUnit; app: string | undefined }[] {
  const rebased = set.map((f) => ({ ...f, services: f.services.map((s) => rebase(s, dirOf(f.file), dir)) }));
  // The application of the included file's folder: where that folder is a project of its own, the
  // service is that application's (one definition, one key); else the including project's.
  const app = j.appOf(dirOf(set[0].file));
  const out: { unit: ComposeUnit; app: string | undefined }[] = [];
  for (const u of mergedServices(dir, env, rebased, j, undefined, app)) {
    if (names.has(u.service.name)) {
      if (!notes.some((n) => n.loc === u.service.nameLoc)) notes.push({ message: `include: ${u.service.name} is defined by the including project too (Compose refuses the project): this definition is not read with it`, loc: u.service.nameLoc });
      continue;
    }
    names.add(u.service.name);
    out.push({ unit: { ...u, included: true }, app });
  }
  return out;
}

/** One project's services (`only` those) merged across its files, each claiming its name, image and build. */
function mergedServices(dir: string, env: string, parts: ComposeFacts[], j: Join, only?: Set<string>, app = j.appOf(dir)): ComposeUnit[] {
  // Which parts name each service, looked up once per service (a file may hold thousands).
  const named = parts.map((p) => new Set(p.services.map((x) => x.name)));
  const merged = new Map<string, ComposeService>();
  for (const part of parts) for (const s of part.services) if (!only || only.has(s.name)) merged.set(s.name, merged.has(s.name) ? mergeCompose(merged.get(s.name) as ComposeService, s) : s);
  const out: ComposeUnit[] = [];
  for (const s of merged.values()) {
    const key = j.keyIn(app, s.name) ?? j.newKey(app, s.name);
    j.claimIn(app, key, s.name);
    if (s.build) {
      j.claimIn(app, key, imageBase(s.image));
      // The image it builds is known by its name, else by the service's own (what a registry push would call it).
      j.buildsImage(imageBase(s.image) ?? s.name, key);
      j.builds(buildFile(dir, s.build), key, env, s.build.target, s.build.args);
    }
    const files = parts.filter((_, i) => named[i].has(s.name)).map((p) => p.file);
    // The files its `extends` read are its files too (an edit there changes it).
    for (const i of s.inherits ?? []) if (!files.includes(i.file)) files.push(i.file);
    out.push({ service: s, dir, project: dir, files });
  }
  return out;
}
