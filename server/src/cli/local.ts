// `port-parity local --env ENV`: writes a Compose override that makes the local containers listen on ENV's
// internal ports (host/local.ts), and says which services it aligned and which it could not, with why.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readWorkspace } from '../host/workspace';
import { planLocal, writeLocal } from '../host/local';
import { escapeForTerminal as esc } from './escape';
import { readFlags } from './flags';

export const LOCAL_HELP = `Usage:
  port-parity local [DIR] --env ENV [--from ENV] [--out FILE] [--print] [--config FILE]

Writes a Compose override (compose.override.<ENV>.yaml beside each compose project, or --out FILE) that makes
the local containers (--from, default local) listen on ENV's internal ports: it sets the port variables and
the compose command's listening flag, remaps the container side of port mappings and expose (published host
ports stay) and the service's own healthcheck, and moves local callers' addresses. It never overwrites a file
it did not write, never writes through a link or outside DIR. --print shows the file instead of writing it.
Exit codes: 0 written (or printed), 2 bad usage or a file it would not overwrite.`;

export function localMain(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`${LOCAL_HELP}\n`);
    return 0;
  }
  const opts: { env?: string; from?: string; out?: string; config?: string; print: boolean } = { print: false };
  const dirs: string[] = [];
  try {
    readFlags(argv, (flag, take) => {
      if (flag === '--env') opts.env = take();
      else if (flag === '--from') opts.from = take();
      else if (flag === '--out') opts.out = take();
      else if (flag === '--config' || flag === '-c') opts.config = take();
      else if (flag === '--print') opts.print = true;
      else return false;
      return true;
    }, (a) => dirs.push(a), (m) => new Error(`${m} (port-parity local --help)`));
    if (!opts.env) throw new Error('local needs --env ENV: the environment whose ports the local containers take');
    if (dirs.length > 1) throw new Error('local takes one directory');
    const dir = dirs[0] ?? '.';
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: no such directory`);
    const ws = readWorkspace(resolve(dir), opts.config ? resolve(opts.config) : undefined);
    if (ws.unreadable) throw new Error(`${dir}: cannot read: ${ws.unreadable}`);
    if (ws.configProblems.length) throw new Error(`config: ${ws.configProblems[0].loc.file}:${ws.configProblems[0].loc.line + 1}: ${ws.configProblems[0].message}`);
    const { writes, plan } = planLocal(ws.root, ws.files, ws.config, opts.env, { from: opts.from, out: opts.out });
    const refused = opts.print ? [] : writeLocal(ws.root, writes);
    for (const w of writes) {
      const no = refused.find((r) => r.path === w.path);
      if (opts.print) out(`# ${w.path}\n${w.text}`);
      else if (no) err(`port-parity: ${esc(`${w.path}: ${no.error}`)}\n`);
      else out(esc(`wrote ${w.path}: ${w.services.join(', ')} listen on ${opts.env}'s ports (docker compose ${w.composeFiles.map((f) => `-f ${f}`).join(' ')} -f ${w.path} up${w.overrideTag ? '; needs Docker Compose 2.24.4+ for !override' : ''})`) + '\n');
    }
    for (const a of plan.aligned) out(esc(`  ${a.service}: ${a.from.join(', ')} → ${a.to.join(', ')}`) + '\n');
    if (!writes.length) out(esc(`nothing to write: no local compose service listens elsewhere than ${opts.env} says that an override can move`) + '\n');
    if (plan.unaligned.length) out(`not aligned:\n${plan.unaligned.map((u) => esc(`  ${u.service}: ${u.why}`)).join('\n')}\n`);
    return refused.length ? 2 : 0;
  } catch (e) {
    err(`port-parity: ${esc((e as Error).message)}\n`);
    return 2;
  }
}
