// `port-parity local` for both entry points: the override files a workspace needs against a reference
// environment (core/local.ts plans them), where each goes, and the one safe way to write them.
import { isAbsolute, relative, resolve } from 'node:path';
import { analyze, LOCAL_HEADER, localOverride } from '../core';
import type { Config, LocalPlan, SourceFile } from '../core';
import { realRoot, writeOwnFile } from './write';
import { toPosix } from './workspace';

export interface LocalWrite {
  /** Relative to the workspace, '/'-separated. */
  path: string;
  text: string;
  services: string[];
  composeFiles: string[];
  overrideTag: boolean;
}

export interface LocalResult {
  writes: LocalWrite[];
  plan: LocalPlan;
}

/** A name fit for a file name: `compose.override.<env>.yaml`. */
function fileEnv(env: string): string {
  return env.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/**
 * The override files for `ref` (a workspace folder's files and config), each at `out` (a path from the
 * working directory, inside the folder) or beside its compose project. Throws with the reason in words.
 */
export function planLocal(root: string, files: SourceFile[], config: Config, ref: string, options: { from?: string; out?: string } = {}): LocalResult {
  const model = analyze(files, config).model;
  if (!model.envs.includes(ref)) throw new Error(`no environment named ${ref} (the workspace has ${model.envs.join(', ') || 'none'})`);
  const from = options.from ?? 'local';
  if (!model.envs.includes(from)) throw new Error(`no environment named ${from} to align (the workspace has ${model.envs.join(', ')}); name the local one with --from`);
  if (from === ref) throw new Error(`${ref} is the environment to align with: the local one is another (--from)`);
  const plan = localOverride(model, new Map(files.map((f) => [f.path, f.text])), ref, from);
  if (options.out !== undefined && plan.files.length > 1) throw new Error(`--out names one file, and ${plan.files.length} compose projects need one each (${plan.files.map((f) => f.dir || '.').join(', ')})`);
  const writes = plan.files.map((f) => {
    let path = `${f.dir ? `${f.dir}/` : ''}compose.override.${fileEnv(ref)}.yaml`;
    if (options.out !== undefined) {
      const rel = relative(root, resolve(options.out));
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`--out ${options.out} is outside the workspace (${root})`);
      path = toPosix(rel);
    }
    return { path, text: f.text, services: f.services, composeFiles: f.composeFiles, overrideTag: f.overrideTag };
  });
  return { writes, plan };
}

/** Writes each file (see writeOwnFile): the reasons it refused, by path. */
export function writeLocal(root: string, writes: LocalWrite[]): { path: string; error: string }[] {
  const real = realRoot(root);
  const out: { path: string; error: string }[] = [];
  for (const w of writes) {
    const error = writeOwnFile(real, w.path, w.text, LOCAL_HEADER);
    if (error) out.push({ path: w.path, error });
  }
  return out;
}
