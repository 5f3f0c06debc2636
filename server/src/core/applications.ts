// Applications: the independent applications of a workspace. A repository of sample projects (each folder
// its own compose project with its own `frontend`, `backend` and `db`) holds many applications, and two
// services of one name in different applications are different services. A service's identity is
// (application, name).
//
// An application is a compose project's folder that no other compose project's folder contains (a
// nested compose folder, `result/docker-compose.test.yml`, is the enclosing application's), or a name
// `.portparity.yaml` gives to path globs (`applications:`), which wins. Every file under an
// application's folder is the application's (its Dockerfiles, manifests, charts, overlays); a file
// outside every application is the workspace's own and joins an application's service only on evidence
// (an image that application's compose project builds). With one application or none, identities are
// not scoped: every file joins by name, as in a workspace of one application.
import picomatch from 'picomatch';
import { posix } from 'node:path';
import { under } from './paths';

export interface Applications {
  /** More than one application: identities are scoped by application, and keys name it. */
  readonly multi: boolean;
  /** The compose folders that root an inferred application (kept for a partial model of the workspace). */
  readonly roots: string[];
  /** The application a file (or folder) belongs to; undefined for the workspace's own files. */
  of(path: string): string | undefined;
}

/** `dirs`: the folders holding compose files; `custom`: `.portparity.yaml`'s application → globs. */
export function applications(dirs: Iterable<string>, custom: Record<string, string[]> = {}): Applications {
  const all = [...new Set(dirs)].sort();
  const roots = all.filter((d) => !all.some((o) => o !== d && contains(o, d)));
  const globs = Object.entries(custom).map(([name, pats]) => ({ name, match: picomatch(pats, { dot: true, nocase: true }) }));
  const names = rootNames(roots);
  const count = new Set([...names.values(), ...globs.map((g) => g.name)]).size;
  const memo = new Map<string, string | undefined>();
  const of = (path: string): string | undefined => {
    if (memo.has(path)) return memo.get(path);
    const configured = globs.find((g) => g.match(path) || g.match(`${path}/`))?.name;
    // The root containing the path (roots never contain each other, so at most one).
    const root = configured === undefined ? roots.find((r) => contains(r, path)) : undefined;
    const app = configured ?? (root === undefined ? undefined : names.get(root));
    if (memo.size > 100000) memo.clear();
    memo.set(path, app);
    return app;
  };
  return { multi: count > 1, roots, of };
}

function contains(dir: string, path: string): boolean {
  return path === dir || under(dir, path);
}

/** A root's name: its folder's name, or its path where two roots share a folder name; the workspace root is `root`. */
function rootNames(roots: string[]): Map<string, string> {
  const base = (r: string): string => (r === '' ? 'root' : posix.basename(r));
  const clash = new Map<string, number>();
  for (const r of roots) clash.set(base(r), (clash.get(base(r)) ?? 0) + 1);
  return new Map(roots.map((r) => [r, (clash.get(base(r)) ?? 0) > 1 ? r : base(r)]));
}

/** The key of a service of `app` named `name`: the name alone where identities are not scoped. */
export function qualified(apps: Applications, app: string | undefined, name: string): string {
  return apps.multi && app !== undefined ? `${app}/${name}` : name;
}
