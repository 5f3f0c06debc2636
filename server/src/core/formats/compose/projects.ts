// Which compose files Compose reads together, as it reads them. In a folder, the project is the files
// `COMPOSE_FILE` (in the folder's .env) lists, else the first default name (compose.yaml, compose.yml,
// docker-compose.yaml, docker-compose.yml) with its overrides; an environment-marked file
// (docker-compose.prod.yml) is that environment's project over the base. Every other compose file is
// read too, never dropped: a file that completes the base's services (`docker-compose.logging.yml`
// adding logging to `web`, which it defines without image or build) is the base with it, as `-f base
// -f it` runs them; a file whose services stand alone (`docker-compose.images.yml`) is a project of its
// own. Those are *variants*: where a service is defined by the main project too, the variant's
// definition is kept apart and compared on its own. A file that only completes services a parent
// folder's project defines (`reverse-proxy/docker-compose.caddy-gen.yml` over `docker-compose.yml`) is
// that project with it.
//
// `include:` (Compose 2.20+) brings the listed files' services into the including project: they run with
// it and reach its services by name. `extends:` reads one service of another file. A file that is read
// only that way (`common-services.yml`, an included `db/compose.yaml` in a folder without a default
// name) is not a project of its own: Compose never runs it alone unless asked with -f, and a project of
// its own would report its ports a second time. A file that *is* its folder's project (a default name,
// COMPOSE_FILE) stays one when another project extends or includes it: `docker compose up` in that
// folder runs it, so it is both, and its services are one definition (join.ts keeps one view of them).
import { posix } from 'node:path';
import { joinRel } from '../../join';
import type { Join } from '../../join';
import { dirOf } from '../../paths';
import type { ComposeFacts, Problem } from '../../types';

export interface ComposeProject {
  env: string;
  /** The project folder: where Compose resolves relative paths (the first file's folder). */
  dir: string;
  /** Base first, as Compose merges them. */
  files: ComposeFacts[];
  /** A variant: the file that makes it one (its path), and whether its services only complete the base's. */
  variant?: { file: ComposeFacts; completes: boolean };
  /** A file read on its own beside its folder's project (or in a folder without one): it runs alone. */
  standalone?: boolean;
  /** The folder's own environment (an environment's project is the base with that environment's file). */
  home: string;
  /** What its files `include:`, each item's files (merged as overrides) in its own folder, nested ones after their includer. */
  included?: ComposeFacts[][];
}

const DEFAULT_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The services a file defines (all of them, also when it is read for some only). */
export function namesOf(f: ComposeFacts): string[] {
  return f.names ?? f.services.map((s) => s.name);
}

/** A service with neither image nor build is incomplete: it completes another file's service of the same name. */
function completing(f: ComposeFacts): string[] {
  return f.services.filter((s) => !s.image && !s.build).map((s) => s.name);
}

interface Folder {
  dir: string;
  env: string;
  /** The main project's files, base first; empty when the folder has none. */
  main: ComposeFacts[];
  envFiles: { env: string; file: ComposeFacts }[];
  others: ComposeFacts[];
}

/** Every folder's projects: main, environments, then variants (those completing a parent folder's project last). */
export function composeProjects(byDir: Map<string, ComposeFacts[]>, j: Join, referenced: Set<string>): ComposeProject[] {
  // COMPOSE_FILE may name files of other folders (`stack/base.yml`): those are the listing folder's
  // project's, not projects of their own folder.
  const byPath = new Map([...byDir.values()].flat().map((f) => [f.file, f]));
  const listed = new Set(referenced);
  for (const [dir, files] of byDir) for (const p of files.find((f) => f.composeFile)?.composeFile ?? []) if (!byDir.get(dir)?.some((f) => f.file === joinRel(dir, p))) listed.add(joinRel(dir, p));
  const folders = [...byDir].sort((a, b) => a[0].localeCompare(b[0])).map(([dir, files]) => classify(dir, files, j, listed, byPath));
  const mains = new Map(folders.filter((f) => f.main.length).map((f) => [f.dir, f]));
  const out: ComposeProject[] = [];
  for (const f of folders) {
    if (f.main.length) out.push({ env: f.env, home: f.env, dir: f.dir, files: f.main });
    for (const e of f.envFiles) out.push({ env: e.env, home: f.env, dir: f.dir, files: [...f.main.slice(0, 1), e.file] });
  }
  for (const f of folders) {
    const mainNames = new Set(f.main.flatMap(namesOf));
    for (const o of f.others) {
      const completes = completing(o).filter((n) => mainNames.has(n));
      if (completes.length) {
        out.push({ env: f.env, home: f.env, dir: f.dir, files: [...f.main, o], variant: { file: o, completes: true } });
        continue;
      }
      const parent = completing(o).length ? parentProject(f.dir, completing(o), mains) : undefined;
      if (parent) out.push({ env: parent.env, home: parent.env, dir: parent.dir, files: [...parent.main, o], variant: { file: o, completes: true } });
      else out.push({ env: f.env, home: f.env, dir: f.dir, files: [o], variant: f.main.length ? { file: o, completes: false } : undefined, standalone: true });
    }
  }
  // Each file's environment: its project's (a base's and a variant's file are its folder's or parent's; an environment's file, that environment).
  for (const p of [...out].reverse()) j.fileEnv.set((p.variant?.file ?? p.files[p.files.length - 1]).file, p.env);
  for (const f of folders) for (const m of f.main) j.fileEnv.set(m.file, f.env);
  return out;
}

/** The nearest parent folder whose main project defines one of the services a file completes. */
function parentProject(dir: string, names: string[], mains: Map<string, Folder>): Folder | undefined {
  for (let d = dir; d !== ''; ) {
    d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '';
    const m = mains.get(d);
    if (m && m.main.some((f) => namesOf(f).some((n) => names.includes(n)))) return m;
  }
  return undefined;
}

/** The override files Compose reads with the default file, unasked. */
const AUTO_OVERRIDE = /^(docker-)?compose\.override\.ya?ml$/;

/** A folder's files by role: the main project, the environments' files, the others. */
function classify(dir: string, files: ComposeFacts[], j: Join, referenced: Set<string>, byPath: Map<string, ComposeFacts>): Folder {
  const env = j.marked(dir ? `${dir}/x` : 'x') ?? 'local';
  const base = (f: ComposeFacts): string => posix.basename(f.file).toLowerCase();
  const envOf = (f: ComposeFacts): string | undefined => j.matcher.envOfName(base(f));
  const isOverride = (f: ComposeFacts): boolean => /(^|[.-])override([.-]|$)/.test(base(f));
  const listed = files.find((f) => f.composeFile)?.composeFile;
  // An override `port-parity local` wrote runs where -f or COMPOSE_FILE names it, or under the one name Compose
  // reads by itself beside the project's file; elsewhere (compose.override.production.yaml) it is in no project.
  const applied = (f: ComposeFacts): boolean => !f.writtenByLocal || AUTO_OVERRIDE.test(base(f)) || !!listed?.some((p) => joinRel(dir, p) === f.file);
  const sorted = files.filter(applied).sort((a, b) => a.file.localeCompare(b.file));
  let main: ComposeFacts[] = [];
  if (listed) main = listed.map((p) => byPath.get(joinRel(dir, p))).filter((f): f is ComposeFacts => !!f);
  if (main.length === 0) {
    // Only a default name makes a folder's project; without one (a folder of separate stacks, each run
    // with -f) every file stands alone, and one that only completes others' services is read over the
    // project it completes (a parent folder's).
    const first = DEFAULT_NAMES.map((n) => sorted.find((f) => !envOf(f) && !isOverride(f) && base(f) === n)).find((f) => f);
    if (first) main = [first, ...sorted.filter(isOverride)];
  }
  const inMain = new Set(main);
  const envFiles = sorted.filter((f) => !inMain.has(f) && envOf(f) && !referenced.has(f.file)).map((f) => ({ env: envOf(f) as string, file: f }));
  const others = sorted.filter((f) => !inMain.has(f) && !envOf(f) && (main.length === 0 || !isOverride(f)) && !referenced.has(f.file));
  return { dir, env, main, envFiles, others };
}


/**
 * The files each project's files include, as sets merged in their own folder, nested includes after
 * their includer; an include that is not read or comes back to a file already on its way is a note.
 */
export function addIncludes(projects: ComposeProject[], byPath: Map<string, ComposeFacts>, notes: Problem[]): void {
  const noted = new Set<string>();
  const note = (loc: Problem['loc'], message: string): void => {
    if (noted.has(`${loc.file}|${loc.start}`)) return;
    noted.add(`${loc.file}|${loc.start}`);
    notes.push({ message, loc });
  };
  for (const p of projects) {
    const sets: ComposeFacts[][] = [];
    const walk = (files: ComposeFacts[], path: string[]): void => {
      for (const f of files) {
        for (const inc of f.includes ?? []) {
          const paths = inc.paths.map((x) => joinRel(dirOf(f.file), x));
          const back = paths.find((x) => path.includes(x) || p.files.some((g) => g.file === x));
          if (back) {
            note(inc.loc, `include forms a cycle (${[...path, back].join(' → ')}): not followed`);
            continue;
          }
          const got = paths.map((x) => byPath.get(x));
          const missing = paths.filter((_, i) => !got[i]);
          if (missing.length) {
            note(inc.loc, `include: ${missing.join(', ')} is not read (missing, ignored or not a compose file): its services are not checked with this project`);
            continue;
          }
          const set = got as ComposeFacts[];
          if (path.length > 16) continue;
          sets.push(set);
          walk(set, [...path, ...paths]);
        }
      }
    };
    walk(p.files, p.files.map((f) => f.file));
    if (sets.length) p.included = sets;
  }
}

/** The files another file includes: read through it, not a project of their own (unless their folder's). */
export function includedFiles(f: ComposeFacts): string[] {
  return (f.includes ?? []).flatMap((i) => i.paths.map((x) => joinRel(dirOf(f.file), x)));
}
