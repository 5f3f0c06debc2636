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
import { posix } from 'node:path';
import { joinRel } from '../../join';
import type { Join } from '../../join';
import type { ComposeFacts } from '../../types';

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
export function composeProjects(byDir: Map<string, ComposeFacts[]>, j: Join): ComposeProject[] {
  const folders = [...byDir].sort((a, b) => a[0].localeCompare(b[0])).map(([dir, files]) => classify(dir, files, j));
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

/** A folder's files by role: the main project, the environments' files, the others. */
function classify(dir: string, files: ComposeFacts[], j: Join): Folder {
  const env = j.marked(dir ? `${dir}/x` : 'x') ?? 'local';
  const base = (f: ComposeFacts): string => posix.basename(f.file).toLowerCase();
  const envOf = (f: ComposeFacts): string | undefined => j.matcher.envOfName(base(f));
  const isOverride = (f: ComposeFacts): boolean => /(^|[.-])override([.-]|$)/.test(base(f));
  const sorted = [...files].sort((a, b) => a.file.localeCompare(b.file));
  const listed = sorted.find((f) => f.composeFile)?.composeFile;
  let main: ComposeFacts[] = [];
  if (listed) main = listed.map((p) => sorted.find((f) => f.file === joinRel(dir, p))).filter((f): f is ComposeFacts => !!f);
  if (main.length === 0) {
    // Only a default name makes a folder's project; without one (a folder of separate stacks, each run
    // with -f) every file stands alone, and one that only completes others' services is read over the
    // project it completes (a parent folder's).
    const first = DEFAULT_NAMES.map((n) => sorted.find((f) => !envOf(f) && !isOverride(f) && base(f) === n)).find((f) => f);
    if (first) main = [first, ...sorted.filter(isOverride)];
  }
  const inMain = new Set(main);
  const envFiles = sorted.filter((f) => !inMain.has(f) && envOf(f)).map((f) => ({ env: envOf(f) as string, file: f }));
  const others = sorted.filter((f) => !inMain.has(f) && !envOf(f) && (main.length === 0 || !isOverride(f)));
  return { dir, env, main, envFiles, others };
}

