// Workspace paths as the core sees them: relative, with `/`, the workspace root being ''.
import { posix } from 'node:path';

/** The folder of a workspace path, '' at the root. */
export function dirOf(p: string): string {
  const d = posix.dirname(p);
  return d === '.' ? '' : d;
}

/** Whether `path` lies in folder `dir` ('' holds every path). */
export function under(dir: string, path: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`);
}

/** The deepest folder holding both folders ('' when only the root does; a path outside the workspace shares none). */
export function commonFolder(a: string, b: string): string {
  const x = a ? a.split('/') : [];
  const y = b ? b.split('/') : [];
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return x.slice(0, n).join('/');
}

/** The deepest of `dirs` holding `path`: the first folder up from it that `dirs` has (a chart's, say). */
export function owningDir(path: string, dirs: { has(dir: string): boolean }): string | undefined {
  for (let d = dirOf(path); ; d = dirOf(d)) {
    if (dirs.has(d)) return d;
    if (d === '') return undefined;
  }
}

/**
 * The chart archive a path lies inside (`chart/charts/redis-1.2.3.tgz` of
 * `chart/charts/redis-1.2.3.tgz/redis/values.yaml`: the host reads an archive as the files it holds), or
 * undefined. Nothing inside an archive is ever edited.
 */
export function archiveOf(path: string): string | undefined {
  const m = /^(.*?\.tgz)\//i.exec(path);
  return m ? m[1] : undefined;
}
