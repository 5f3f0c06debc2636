// `port-parity`: check, matrix and fix for CI and terminals; exit 0 clean, 1 findings, 2 usage or config.
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { analyze, buildMatrix, envMatcher, explainFiles, explainText, FORMATS, helmTemplateJobs, RULES, RULE_IDS } from '../core';
import type { Severity } from '../core';
import { ioReason, isIoError } from '../host/errors';
import { escapeForTerminal, jsonForTerminal } from './escape';
import { fixRuleProblem, MAX_ROUNDS, runFix } from './fix';
import { findHelm, runHelmTemplates } from '../host/helm';
import { exitQuietlyOnClosedPipe } from './pipe';
import { accounts, colors, compactReport, githubReport, jsonReport, matrixText, sarifReport, terminalPath, textReport } from './report';
import type { Checked } from './report';
import { readWorkspace, toPosix } from '../host/workspace';
import { verifyMain } from './verify';
import { localMain } from './local';
import type { Workspace } from '../host/workspace';

declare const PORT_PARITY_VERSION: string;
const VERSION = typeof PORT_PARITY_VERSION === 'string' ? PORT_PARITY_VERSION : '0.0.0-dev';

/** The formats' names in words, from the registry: "Dockerfile, Compose file, … and Fly.io app (fly.toml)". */
const READS = ((t: string[]): string => `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`)(FORMATS.map((f) => f.title));

const HELP = `port-parity ${VERSION}: find ports that drift between environments and files.
Reads: ${READS}.

Usage:
  port-parity check [DIR...] [--format text|compact|json|sarif|github] [--config FILE] [--fail-on error|warning|info|never] [--helm-template [--helm PATH]]
  port-parity matrix [DIR] [--format text|json|markdown] [--config FILE] [--helm-template [--helm PATH]]
  port-parity fix [DIR] [--rule ID...] [--unsafe] [--dry-run] [--config FILE]
  port-parity explain [DIR] [--service NAME...] [--config FILE]   how each service was formed: its files, environments, variants
  port-parity explain [DIR] --files [--config FILE]   every file found: the services it makes up, or why it gives nothing
  port-parity verify [DIR] --service NAME [--env ENV] -- COMMAND [ARGS...]   run COMMAND, check what it listens on (verify --help)
  port-parity local [DIR] --env ENV [--out FILE]   a Compose override: local containers on ENV's ports (local --help)
  port-parity rules            list the rules
  port-parity --help | --version

Paths in text, compact and github output are relative to the current folder (outside it absolute, and
in github relative to the checked folder); in json and sarif they are relative to the checked folder.
fix applies the fixes that align ports; --unsafe also the editor's other quick fixes (probe-port,
loopback-bind, service-target-port: a judgement to review).
--helm-template also renders each chart environment with \`helm template\` (the helm on the PATH, or --helm
PATH; never one inside the checked folder) and reports where it disagrees with Port Parity's own evaluation.

Exit codes: 0 nothing at or above --fail-on (default error), 1 findings at or above it, 2 bad usage or a bad config.
fix: 0 done, 1 the fixes did not settle in ${MAX_ROUNDS} rounds, 2 a file could not be fixed or written (each one named).
Rules: ${[...RULE_IDS].join(', ')}`;

class UsageError extends Error {}

interface Args {
  command: string;
  dirs: string[];
  format?: string;
  config?: string;
  failOn: Severity | 'never';
  rules: string[];
  dryRun: boolean;
  unsafe: boolean;
  helmTemplate: boolean;
  helm?: string;
  services: string[];
  files: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { command: '', dirs: [], failOn: 'error', rules: [], dryRun: false, unsafe: false, helmTemplate: false, services: [], files: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, a);
      i++;
      return v;
    };
    if (a === '--format' || a === '-f') args.format = take();
    else if (a === '--config' || a === '-c') args.config = take();
    else if (a === '--fail-on') {
      const v = take();
      if (!['error', 'warning', 'info', 'never'].includes(v)) throw new UsageError(`--fail-on must be error, warning, info or never, not "${v}"`);
      args.failOn = v as Args['failOn'];
    } else if (a === '--rule') {
      const v = take();
      for (const id of v.split(',')) {
        if (!RULE_IDS.has(id)) throw new UsageError(`unknown rule "${id}"; see port-parity rules`);
        args.rules.push(id);
      }
    } else if (a === '--dry-run') args.dryRun = true;
    else if (a === '--unsafe') args.unsafe = true;
    else if (a === '--helm-template') args.helmTemplate = true;
    else if (a === '--helm') args.helm = take();
    else if (a === '--service') args.services.push(...take().split(','));
    else if (a === '--files') args.files = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (!args.command) args.command = a;
    else args.dirs.push(a);
  }
  return args;
}

function loadAll(dirs: string[], config?: string): { workspaces: Workspace[]; errors: string[] } {
  const workspaces: Workspace[] = [];
  const errors: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`${d}: no such directory`);
    const ws = readWorkspace(resolve(d), config ? resolve(config) : undefined);
    if (ws.unreadable) throw new UsageError(`${d}: cannot read: ${ws.unreadable}`);
    for (const p of ws.configProblems) errors.push(`${p.loc.file}:${p.loc.line + 1}:${p.loc.col + 1}: ${p.message}`);
    workspaces.push(ws);
  }
  return { workspaces, errors };
}

function pathFor(dir: string, several: boolean): (f: string) => string {
  if (!several) return (f) => f;
  const prefix = toPosix(relative(process.cwd(), resolve(dir))) || '.';
  return (f) => (prefix === '.' ? f : `${prefix}/${f}`);
}

/** --unsafe, and fix's --rule naming a rule it cannot fix (no fix, or a judgement without --unsafe): said before any folder is read. */
function checkFixOptions(args: Args): void {
  if (args.unsafe && args.command !== 'fix') throw new UsageError('--unsafe is a fix option: port-parity fix --unsafe');
  for (const id of args.command === 'fix' ? args.rules : []) {
    const why = fixRuleProblem(id, args.unsafe);
    if (why) throw new UsageError(why);
  }
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  let args: Args;
  try {
    if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
      out(`${HELP}\n`);
      return 0;
    }
    if (argv.includes('--version') || argv.includes('-v')) {
      out(`${VERSION}\n`);
      return 0;
    }
    args = parseArgs(argv);
    if (!args.command) throw new UsageError('a command is needed: check, matrix, fix, explain or rules (see --help)');
    if (args.command === 'rules') {
      for (const { meta: m } of RULES) out(`${m.id.padEnd(24)}${m.defaultSeverity.padEnd(9)}${m.description}\n`);
      return 0;
    }
    if (!['check', 'matrix', 'fix', 'explain'].includes(args.command)) throw new UsageError(`unknown command "${args.command}" (check, matrix, fix, explain, verify, local, rules)`);
    if (args.services.length && args.command !== 'explain') throw new UsageError('--service names the services explain explains');
    if (args.files && args.command !== 'explain') throw new UsageError('--files is an explain option: port-parity explain --files');
    if (args.files && args.services.length) throw new UsageError('explain takes --files or --service, not both');
    const formats: Record<string, string[]> = { check: ['text', 'compact', 'json', 'sarif', 'github'], matrix: ['text', 'json', 'markdown'], fix: ['text'], explain: ['text'] };
    const format = args.format ?? 'text';
    if (!formats[args.command].includes(format)) throw new UsageError(`--format for ${args.command} is one of ${formats[args.command].join(', ')}`);
    if (args.command !== 'check' && args.dirs.length > 1) throw new UsageError(`${args.command} takes one directory`);
    checkFixOptions(args);
    const dirs = args.dirs.length ? args.dirs : ['.'];
    const { workspaces, errors } = loadAll(dirs, args.config);
    if (errors.length) {
      err(`${errors.map((e) => `port-parity: config: ${escapeForTerminal(e)}`).join('\n')}\n`);
      return 2;
    }
    for (const ws of workspaces) for (const s of ws.skipped) err(`port-parity: skipped ${escapeForTerminal(`${s.path}: ${s.reason}`)}\n`);
    if (args.helm && !args.helmTemplate) throw new UsageError('--helm names the binary for --helm-template');
    if (args.helmTemplate && args.command === 'fix') throw new UsageError('--helm-template reports, it fixes nothing: use it with check or matrix');
    // Asked for on the command line (the trust a workspace setting cannot give): without a helm to run,
    // the check cannot do what it was asked (exit 2).
    const helms = workspaces.map((ws) => {
      if (!args.helmTemplate) return undefined;
      const helm = findHelm(ws.root, { helmPath: args.helm });
      if ('error' in helm) throw new UsageError(`--helm-template: ${helm.error}`);
      return helm.path;
    });
    const runs: Checked[] = workspaces.map((ws, i) => {
      const helm = helms[i];
      const helmTemplates = helm ? runHelmTemplates(ws.root, helmTemplateJobs(ws.files, envMatcher(ws.config.environments).envOf), helm) : undefined;
      // Where a terminal reads the paths, they open from the current folder; reports keep the checked folder's.
      const report = pathFor(ws.root, workspaces.length > 1);
      const path = format === 'github' ? terminalPath(ws.root, process.cwd(), report) : ['text', 'compact'].includes(format) ? terminalPath(ws.root) : report;
      return { analysis: analyze(ws.files, ws.config, { helmTemplates, unread: ws.skipped }), path, unread: ws.skipped };
    });

    if (args.command === 'matrix') {
      const m = buildMatrix(runs[0].analysis.model);
      if (format === 'json') out(`${jsonForTerminal(JSON.stringify({ version: 1, ...m, rows: m.rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, locations: c.locations.map((l) => ({ file: l.file, line: l.line + 1, column: l.col + 1 })) })) })) }, null, 2))}\n`);
      else out(`${matrixText(m, format === 'markdown')}\n`);
      return 0;
    }
    if (args.command === 'explain' && args.files) {
      out(`${explainFiles(accounts(runs[0])).trimEnd().split('\n').map(escapeForTerminal).join('\n')}\n`);
      return 0;
    }
    if (args.command === 'explain') {
      const x = explainText(runs[0].analysis.model, args.services);
      out(`${x.text.trimEnd().split('\n').map(escapeForTerminal).join('\n')}\n`);
      for (const n of x.unknown) err(`port-parity: no service named ${escapeForTerminal(n)} (port-parity matrix lists them)\n`);
      return x.unknown.length ? 2 : 0;
    }
    if (args.command === 'fix') return runFix(workspaces[0], runs[0].analysis, { rules: args.rules, dryRun: args.dryRun, unsafe: args.unsafe }, out, err);

    if (format === 'json') out(`${jsonForTerminal(JSON.stringify(jsonReport(runs), null, 2))}\n`);
    else if (format === 'sarif') out(`${jsonForTerminal(JSON.stringify(sarifReport(runs, VERSION), null, 2))}\n`);
    else if (format === 'compact') {
      const c = compactReport(runs);
      if (c) out(`${c}\n`);
    } else if (format === 'github') {
      const g = githubReport(runs);
      if (g) out(`${g}\n`);
    } else {
      const tty = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : !!process.stdout.isTTY && !process.env.NO_COLOR;
      out(`${textReport(runs, colors(tty))}\n`);
    }
    if (args.failOn === 'never') return 0;
    const floor = RANK[args.failOn];
    return runs.some((r) => r.analysis.findings.some((f) => RANK[f.severity] >= floor)) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`port-parity: ${escapeForTerminal(e.message)}\n`);
      return 2;
    }
    // A file system error is the user's to act on: its path and what went wrong, no stack (exit 2).
    if (isIoError(e)) {
      err(`port-parity: ${escapeForTerminal(`${e.path ? `${e.path}: ` : ''}${ioReason(e)}`)}\n`);
      return 2;
    }
    err(`port-parity: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

/** The CLI with its asynchronous commands: `verify` waits on the process it runs; the others are main's. */
export async function cli(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  if (argv[0] === 'verify') return verifyMain(argv.slice(1), out, err);
  if (argv[0] === 'local') return localMain(argv.slice(1), out, err);
  return main(argv, out, err);
}

if (require.main === module) {
  exitQuietlyOnClosedPipe();
  void cli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
