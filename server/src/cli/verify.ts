// `port-parity verify`: runs the command the user gives after `--` (never anything of the workspace on its
// own) with the variables the model resolves for the service in the environment, reads what its process
// tree listens on, stops the tree, and reports against the model in check's formats and exit codes.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../core';
import type { Severity } from '../core';
import { judge, verifyTarget, VERIFY_CHECKS } from '../core/verify';
import type { Observation, VerifyFinding, VerifyTarget } from '../core/verify';
import type { Log } from 'sarif';
import { backend, listeningSockets, portHolders, socketsOfTables, treeOf } from '../host/listen';
import type { Backend, Socket } from '../host/listen';
import { runAndObserve } from '../host/run';
import { readWorkspace } from '../host/workspace';
import { escapeForTerminal as esc, jsonForTerminal } from './escape';
import { readFlags } from './flags';
import { colors, githubReport, jsonReport, sarifReport } from './report';
import type { Checked } from './report';

declare const PORT_PARITY_VERSION: string;
const VERSION = typeof PORT_PARITY_VERSION === 'string' ? PORT_PARITY_VERSION : '0.0.0-dev';

export const VERIFY_HELP = `Usage:
  port-parity verify [DIR] --service NAME [--env ENV] [--timeout 20s] [--format text|json|sarif|github] [--fail-on LEVEL] [--config FILE] -- COMMAND [ARGS...]
  port-parity verify [DIR] --service NAME [--env ENV] --pid PID          inspect a running process (and its children)
  port-parity verify [DIR] --service NAME [--env ENV] --compose SERVICE  inspect a running compose service's container (needs Docker)

Runs COMMAND (only what follows --; nothing from the workspace is run on its own) with the variables ENV gives
the service (PORT included), waits until its process tree listens or the timeout passes, reads what it listens
on (Linux /proc; elsewhere lsof), stops the whole tree, and reports against the model: the ports versus the
internal port ENV declares, a loopback bind where it must be reachable, nothing listening, an early exit, a
port already in use. Exit codes as check: 0 clean, 1 findings at or above --fail-on (default error), 2 usage.`;

class VerifyUsage extends Error {}

interface VerifyArgs {
  dir: string;
  service?: string;
  env?: string;
  timeoutMs: number;
  timeout: string;
  format: string;
  failOn: Severity | 'never';
  config?: string;
  pid?: number;
  compose?: string;
  command: string[];
  backend?: Backend;
}

function parseTimeout(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v);
  if (!m) throw new VerifyUsage(`--timeout takes a duration such as 20s, 500ms or 2m, not "${v}"`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60000 : 1000);
  if (n <= 0) throw new VerifyUsage('--timeout must be more than 0');
  return n;
}

function failOn(v: string): VerifyArgs['failOn'] {
  if (!['error', 'warning', 'info', 'never'].includes(v)) throw new VerifyUsage(`--fail-on must be error, warning, info or never, not "${v}"`);
  return v as VerifyArgs['failOn'];
}

function pid(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new VerifyUsage(`--pid takes a process id, not "${v}"`);
  return Number(v);
}

function backendName(v: string): Backend {
  if (v !== 'proc' && v !== 'lsof') throw new VerifyUsage('--backend is proc or lsof');
  return v;
}

function parseVerifyArgs(argv: string[]): VerifyArgs {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const a: VerifyArgs = { dir: '.', timeoutMs: 20000, timeout: '20s', format: 'text', failOn: 'error', command: dash >= 0 ? argv.slice(dash + 1) : [] };
  const dirs: string[] = [];
  readFlags(own, (flag, take) => {
    if (flag === '--service') a.service = take();
    else if (flag === '--env') a.env = take();
    else if (flag === '--timeout') { a.timeout = take(); a.timeoutMs = parseTimeout(a.timeout); }
    else if (flag === '--format' || flag === '-f') a.format = take();
    else if (flag === '--config' || flag === '-c') a.config = take();
    else if (flag === '--fail-on') a.failOn = failOn(take());
    else if (flag === '--pid') a.pid = pid(take());
    else if (flag === '--compose') a.compose = take();
    // For the tests: read sockets with lsof on Linux too (the way other systems go).
    else if (flag === '--backend') a.backend = backendName(take());
    else return false;
    return true;
  }, (d) => dirs.push(d), (m) => new VerifyUsage(`${m} (port-parity verify --help)`));
  if (dirs.length > 1) throw new VerifyUsage('verify takes one directory');
  if (dirs.length) a.dir = dirs[0];
  if (!a.service) throw new VerifyUsage('verify needs --service NAME');
  if (!['text', 'json', 'sarif', 'github'].includes(a.format)) throw new VerifyUsage('--format for verify is one of text, json, sarif, github');
  const ways = [a.command.length > 0, a.pid !== undefined, a.compose !== undefined].filter(Boolean).length;
  if (ways !== 1) throw new VerifyUsage('verify needs one of: -- COMMAND [ARGS...], --pid PID, --compose SERVICE');
  return a;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** `port-parity verify ...` (argv after the command word). */
export async function verifyMain(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (argv.includes('--help') && (argv.indexOf('--') < 0 || argv.indexOf('--help') < argv.indexOf('--'))) {
    out(`${VERIFY_HELP}\n`);
    return 0;
  }
  try {
    const a = parseVerifyArgs(argv);
    if (!existsSync(a.dir) || !statSync(a.dir).isDirectory()) throw new VerifyUsage(`${a.dir}: no such directory`);
    const ws = readWorkspace(resolve(a.dir), a.config ? resolve(a.config) : undefined);
    if (ws.unreadable) throw new VerifyUsage(`${a.dir}: cannot read: ${ws.unreadable}`);
    if (ws.configProblems.length) throw new VerifyUsage(`config: ${ws.configProblems[0].loc.file}:${ws.configProblems[0].loc.line + 1}: ${ws.configProblems[0].message}`);
    const analysis = analyze(ws.files, ws.config, { unread: ws.skipped });
    const target = verifyTarget(analysis.model, a.service as string, a.env);
    if ('error' in target) throw new VerifyUsage(target.error);
    const observed = await observe(a, target, err);
    if ('error' in observed) {
      err(`port-parity: ${esc(observed.error)}\n`);
      return 2;
    }
    const findings = judge(analysis.model, target, observed);
    const run: Checked = { analysis: { ...analysis, findings, suppressed: [] }, path: (f) => f };
    report(a, target, observed, run, findings, out);
    if (a.failOn === 'never') return 0;
    return findings.some((f) => RANK[f.severity] >= RANK[a.failOn as Severity]) ? 1 : 0;
  } catch (e) {
    if (e instanceof VerifyUsage) {
      err(`port-parity: ${esc(e.message)}\n`);
      return 2;
    }
    err(`port-parity: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

type Observed = (Observation & { command?: string[] }) | { error: string };

async function observe(a: VerifyArgs, t: VerifyTarget, err: (s: string) => void): Promise<Observed> {
  if (a.compose !== undefined) return composeSockets(a.compose, a.dir);
  const how = backend(a.backend);
  if (typeof how !== 'string') return { error: `verify: unsupported here: ${how.unsupported}` };
  const evidence = (s: Socket): Observation['sockets'][number] => ({ pid: s.pid, address: s.address, port: s.port });
  if (a.pid !== undefined) {
    const tree = treeOf(a.pid, undefined, how);
    if (!tree.includes(a.pid)) return { error: `--pid ${a.pid}: no such process` };
    const read = listeningSockets(tree, how);
    if ('unsupported' in read) return { error: `verify: unsupported here: ${read.unsupported}` };
    return { outcome: 'inspected', pid: a.pid, sockets: read.sockets.map(evidence) };
  }
  const holders = t.expected.flatMap((p) => portHolders(p, how));
  if (holders.length) return { outcome: 'in-use', sockets: [], holders: holders.map(evidence), command: a.command };
  const r = await runAndObserve({ argv: a.command, env: { ...process.env, ...t.env }, cwd: process.cwd(), timeoutMs: a.timeoutMs, expected: t.expected, how });
  if (r.unsupported) return { error: `verify: unsupported here: ${r.unsupported}` };
  if (r.survivors.length) err(`port-parity: could not stop ${r.survivors.map((p) => `pid ${p}`).join(', ')} of the command's tree\n`);
  return { outcome: r.outcome, pid: r.pid, sockets: r.sockets.map(evidence), status: r.status, lastLines: r.lastLines, timeout: a.timeout, command: a.command };
}

/** The compose command of this machine: `docker compose`, else `docker-compose`, with the daemon answering. */
function composeCommand(): string[] | { error: string } {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 15000 });
  } catch (e) {
    return { error: `--compose needs Docker, and ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'docker is not installed' : 'the Docker daemon does not answer (docker info failed)'}` };
  }
  for (const c of [['docker', 'compose'], ['docker-compose']]) {
    try {
      execFileSync(c[0], [...c.slice(1), 'version'], { stdio: 'ignore', timeout: 15000 });
      return c;
    } catch {
      // try the next
    }
  }
  return { error: '--compose needs docker compose or docker-compose; neither runs here' };
}

/** A running compose service's sockets, read inside its container (`exec … cat /proc/net/tcp`). */
function composeSockets(service: string, dir: string): Observed {
  const c = composeCommand();
  if ('error' in c) return c;
  const cat = (file: string): string | undefined => {
    try {
      return execFileSync(c[0], [...c.slice(1), 'exec', '-T', service, 'cat', file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
    } catch {
      return undefined;
    }
  };
  const tcp = cat('/proc/net/tcp');
  if (tcp === undefined) return { error: `--compose ${service}: could not read /proc/net/tcp in its container (is it running? docker compose ps)` };
  return { outcome: 'inspected', sockets: socketsOfTables(tcp, cat('/proc/net/tcp6') ?? '').map((s) => ({ pid: s.pid, address: s.address, port: s.port })) };
}

function report(a: VerifyArgs, t: VerifyTarget, o: Observation & { command?: string[] }, run: Checked, findings: VerifyFinding[], out: (s: string) => void): void {
  const subject = { service: t.service.name, environment: t.view.env, expected: t.expected, command: o.command ?? null, compose: a.compose ?? null, pid: o.pid ?? null, outcome: o.outcome, status: o.status ?? null, sockets: o.sockets.map(evidenceJson), lastLines: o.lastLines ?? [] };
  if (a.format === 'json') {
    const r = jsonReport([run]) as { findings: object[] };
    r.findings = r.findings.map((f, i) => ({ ...f, evidence: findings[i].evidence.map(evidenceJson) }));
    out(`${jsonForTerminal(JSON.stringify({ ...r, verify: subject }, null, 2))}\n`);
  } else if (a.format === 'sarif') out(`${jsonForTerminal(JSON.stringify(withVerifyRules(sarifReport([run], VERSION), findings), null, 2))}\n`);
  else if (a.format === 'github') {
    const g = githubReport([run]);
    if (g) out(`${g}\n`);
  } else out(`${textOf(t, o, findings)}\n`);
}

function evidenceJson(e: { pid: number; address: string; port: number }): object {
  return { pid: e.pid || null, address: e.address, port: e.port };
}

/** The SARIF log with verify's checks in the rule table and each result's evidence as properties. */
function withVerifyRules(log: Log, findings: VerifyFinding[]): Log {
  const driver = log.runs[0].tool.driver;
  const base = driver.rules?.length ?? 0;
  driver.rules = [...(driver.rules ?? []), ...VERIFY_CHECKS.map((m) => ({ id: m.id, name: m.id, shortDescription: { text: m.description }, helpUri: m.docs, defaultConfiguration: { level: m.defaultSeverity === 'info' ? 'note' as const : m.defaultSeverity } }))];
  log.runs[0].results = (log.runs[0].results ?? []).map((r, i) => ({ ...r, ruleIndex: base + VERIFY_CHECKS.findIndex((m) => m.id === r.ruleId), properties: { evidence: findings[i].evidence.map(evidenceJson) } }));
  return log;
}

function textOf(t: VerifyTarget, o: Observation & { command?: string[] }, findings: VerifyFinding[]): string {
  const tty = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : !!process.stdout.isTTY && !process.env.NO_COLOR;
  const c = colors(tty);
  const lines: string[] = [];
  const what = o.command ? `ran ${o.command.join(' ')}${o.pid ? ` (pid ${o.pid})` : ''}` : o.pid ? `inspected pid ${o.pid}` : 'inspected the container';
  lines.push(c.bold(esc(`verify ${t.service.name} in ${t.view.env}: ${what}; ${t.view.env} declares ${t.expected.join(', ') || 'no port'}`)));
  const seen = o.sockets.length ? o.sockets.map((s) => `${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}${s.pid ? ` (pid ${s.pid})` : ''}`).join(', ') : 'nothing';
  lines.push(esc(`  listened on ${seen}${o.command && o.outcome !== 'exited' ? '; stopped' : ''}`));
  for (const f of findings) {
    const sev = f.severity === 'error' ? c.red('error  ') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info   ');
    lines.push(`  ${c.dim(esc(`${f.loc.file}:${f.loc.line + 1}`))} ${sev}  ${esc(f.message)}  ${c.dim(f.rule)}`);
  }
  lines.push(findings.length ? c.bold(`${findings.length} problem${findings.length === 1 ? '' : 's'}`) : `${c.bold('Verified.')} It listens where ${esc(t.view.env)} says.`);
  return lines.join('\n');
}
