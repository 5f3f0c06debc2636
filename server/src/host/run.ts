// Runs the one command a user gives `port-parity verify` in a process group of its own, waits until the
// tree listens (or exits, or the time is up), reads its sockets, and stops the whole tree: the group and
// every descendant found by parent id (one that left the group too), TERM first, KILL after a grace.
import { spawn } from 'node:child_process';
import type { Backend, Socket } from './listen';
import { listeningSockets, treeOf } from './listen';

export interface RunResult {
  outcome: 'listening' | 'timeout' | 'exited';
  pid: number;
  sockets: Socket[];
  /** How the command ended, when it ended by itself. */
  status?: string;
  lastLines: string[];
  /** Processes of the tree still alive after the stop (none expected). */
  survivors: number[];
  /** Why the sockets could not be read. */
  unsupported?: string;
}

export interface RunOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** The ports it must listen on: once all are, it has started. */
  expected: number[];
  how: Backend;
  /** Once something listens but not all it must: how long the set may stay unchanged before it counts as started. */
  settleMs?: number;
  /** Output lines kept. */
  keep?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The last `keep` lines of both streams, in the order they came. */
class Tail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly keep: number) {}
  push(chunk: Buffer): void {
    const parts = (this.partial + chunk.toString('utf8')).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((l) => l.trim()));
    if (this.lines.length > this.keep) this.lines = this.lines.slice(-this.keep);
  }
  get(): string[] {
    return [...this.lines, ...(this.partial.trim() ? [this.partial] : [])].slice(-this.keep).map((l) => l.slice(0, 300));
  }
}

/** Stops a tree: TERM to the group and each member, then KILL to what is left after `graceMs`. */
export async function stopTree(pgid: number, pids: number[], graceMs = 3000): Promise<number[]> {
  const send = (sig: NodeJS.Signals): void => {
    try { process.kill(-pgid, sig); } catch { /* the group is gone */ }
    for (const p of pids) try { process.kill(p, sig); } catch { /* gone */ }
  };
  send('SIGTERM');
  for (let waited = 0; waited < graceMs && pids.some(alive); waited += 50) await sleep(50);
  if (pids.some(alive)) send('SIGKILL');
  for (let waited = 0; waited < 2000 && pids.some(alive); waited += 50) await sleep(50);
  return pids.filter(alive);
}

/** Runs the command and observes it; the tree is stopped before this returns. */
export async function runAndObserve(o: RunOptions): Promise<RunResult> {
  const tail = new Tail(o.keep ?? 8);
  // detached: a process group of its own, so the whole tree can be signalled; no shell unless the user runs one.
  const child = spawn(o.argv[0], o.argv.slice(1), { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited: string | undefined;
  let spawnError: string | undefined;
  const done = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => { exited = signal ? `signal ${signal}` : `exit code ${code}`; resolve(); });
    child.on('error', (e) => { spawnError = e.message; exited = `could not start: ${e.message}`; resolve(); });
  });
  child.stdout?.on('data', (c: Buffer) => tail.push(c));
  child.stderr?.on('data', (c: Buffer) => tail.push(c));
  const pid = child.pid ?? 0;
  const seen = new Set<number>(pid ? [pid] : []);
  let sockets: Socket[] = [];
  let unsupported: string | undefined;
  let outcome: RunResult['outcome'] = 'timeout';
  let lastKey = '';
  let stableSince = 0;
  const start = Date.now();
  while (Date.now() - start < o.timeoutMs) {
    const tree = pid ? treeOf(pid, pid, o.how) : [];
    // The command ended and left nothing of its group behind (a parent that forks a daemon and exits is still watched).
    if (exited !== undefined && tree.length === 0) { outcome = 'exited'; break; }
    for (const p of tree) seen.add(p);
    const read = listeningSockets(tree, o.how);
    if ('unsupported' in read) { unsupported = read.unsupported; break; }
    sockets = read.sockets;
    const ports = new Set(sockets.map((s) => s.port));
    const key = [...ports].sort().join(',');
    if (key !== lastKey) { lastKey = key; stableSince = Date.now(); }
    // Started: every declared port listens and nothing new came for a moment (a second listener shows up
    // then), or something listens and the set has stopped changing (it will not become the declared one).
    const all = o.expected.length > 0 && o.expected.every((p) => ports.has(p));
    if (sockets.length && Date.now() - stableSince >= (all ? 400 : (o.settleMs ?? 1500))) { outcome = 'listening'; break; }
    await (exited === undefined ? Promise.race([sleep(100), done]) : sleep(100));
  }
  // Whatever ended the wait, the last look at the tree before it is stopped.
  if (outcome === 'timeout' && sockets.length) outcome = 'listening';
  if (pid) for (const p of treeOf(pid, pid, o.how)) seen.add(p);
  const survivors = pid ? await stopTree(pid, [...seen]) : [];
  if (exited === undefined) await Promise.race([done, sleep(2000)]);
  // A survivor would hold the pipes open and keep this process waiting: let go of them.
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
  if (spawnError) return { outcome: 'exited', pid, sockets: [], status: `could not start ${o.argv[0]}: ${spawnError}`, lastLines: tail.get(), survivors, unsupported };
  return { outcome, pid, sockets: outcome === 'exited' ? [] : sockets, status: outcome === 'exited' ? exited : undefined, lastLines: tail.get(), survivors, unsupported };
}
