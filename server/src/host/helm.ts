// The optional `helm template` render (off by default): the CLI's --helm-template and the language
// server's portParity.helm.render. The binary comes from the PATH (or a path the user sets), never from
// the workspace; it runs without a shell, without plugins, with a time-out, one chart environment at a time.
import { execFile, execFileSync } from 'node:child_process';
import type { ExecFileOptions } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isReleaseName } from '../core';
import type { HelmTemplateJob, HelmTemplateOutput, HelmTemplates } from '../core';

export interface HelmOptions {
  /** An explicit helm binary; otherwise the first `helm` on the PATH. */
  helmPath?: string;
  timeoutMs?: number;
  /** For the tests: the PATH to search. */
  pathEnv?: string;
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function inside(dir: string, p: string): boolean {
  const r = relative(dir, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The helm binary to run, or why there is none. A binary inside the workspace is refused: nothing is executed from it. */
export function findHelm(root: string, opts: HelmOptions = {}): { path: string } | { error: string } {
  const names = process.platform === 'win32' ? ['helm.exe', 'helm'] : ['helm'];
  let found: string | undefined;
  if (opts.helmPath) found = executable(opts.helmPath) ? resolve(opts.helmPath) : undefined;
  else {
    for (const dir of (opts.pathEnv ?? process.env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const hit = names.map((n) => join(dir, n)).find(executable);
      if (hit) {
        found = resolve(hit);
        break;
      }
    }
  }
  if (!found) return { error: opts.helmPath ? `${opts.helmPath} is not an executable file` : 'no helm on the PATH' };
  let real = found;
  let rootReal = resolve(root);
  try {
    real = realpathSync(found);
    rootReal = realpathSync(root);
  } catch {
    // Compared as given.
  }
  if (inside(rootReal, real) || inside(resolve(root), found)) return { error: `${found} lies inside the workspace: Port Parity never runs a program from the workspace` };
  return { path: found };
}

/** The first line helm wrote to stderr (`Error: ...`), or what stopped it. */
function why(e: unknown): string {
  const err = e as { stderr?: Buffer | string; code?: string; signal?: string; message?: string };
  if (err.code === 'ETIMEDOUT' || err.signal === 'SIGTERM') return 'helm template timed out';
  const text = err.stderr ? String(err.stderr) : '';
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !/^WARNING:/.test(l));
  return line ?? err.message?.split('\n')[0] ?? 'helm template failed';
}

/** A values file as `--values` reads it: helm splits the flag's value as CSV, so a comma or a quote is quoted. */
function valuesFlag(path: string): string {
  const p = `.${sep}${path.split('/').join(sep)}`;
  return `--values=${/[",\r\n]/.test(p) ? `"${p.replace(/"/g, '""')}"` : p}`;
}

/**
 * `helm template --values=./v.yaml -- RELEASE ./chart`. No workspace string can be read as an option:
 * every path starts with `./` or sits inside a `--values=` flag, and `--` ends the options before the
 * release name (which is checked against helm's rule as well).
 */
function helmArgs(job: HelmTemplateJob): string[] {
  if (!isReleaseName(job.release)) throw new Error(`invalid release name ${JSON.stringify(job.release)}`);
  const chart = job.chartDir ? `.${sep}${job.chartDir.split('/').join(sep)}` : '.';
  return ['template', ...job.valuesFiles.map(valuesFlag), '--', job.release, chart];
}

function execOptions(root: string, opts: HelmOptions): ExecFileOptions & { encoding: 'utf8' } {
  return {
    cwd: root,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
    maxBuffer: 64 * 1024 * 1024,
    // No plugins (a downloader plugin is a program); no shell anywhere.
    env: { ...process.env, HELM_NO_PLUGINS: '1' },
    windowsHide: true,
  };
}

/** Runs `helm template RELEASE CHART -f values...` with `helm` (found by findHelm) for each job, in `root`, one after the other (the CLI). */
export function runHelmTemplates(root: string, jobs: HelmTemplateJob[], helm: string, opts: HelmOptions = {}): HelmTemplates {
  const out: HelmTemplates = new Map();
  for (const job of jobs) {
    try {
      out.set(job.key, { text: execFileSync(helm, helmArgs(job), { ...execOptions(root, opts), stdio: ['ignore', 'pipe', 'pipe'] }) });
    } catch (e) {
      out.set(job.key, { error: why(e) });
    }
  }
  return out;
}

/** One `helm template` run that does not block (the language server); never rejects. */
export function runHelmTemplate(root: string, job: HelmTemplateJob, opts: HelmOptions = {}): Promise<HelmTemplateOutput> {
  const helm = findHelm(root, opts);
  if ('error' in helm) return Promise.resolve({ error: helm.error });
  return new Promise((done) => {
    try {
      const child = execFile(helm.path, helmArgs(job), execOptions(root, opts), (e, stdout, stderr) => done(e ? { error: why({ code: (e as { code?: string }).code, signal: e.signal ?? undefined, message: e.message, stderr }) } : { text: stdout }));
      child.stdin?.end();
    } catch (e) {
      done({ error: why(e) });
    }
  });
}
