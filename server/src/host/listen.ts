// What a running process tree actually listens on: on Linux the TCP tables of /proc/<pid>/net/tcp{,6}
// matched with the socket inodes of the tree's open descriptors; elsewhere lsof's listing; else it says
// it cannot tell. `port-parity verify` reads it; nothing here starts or stops a process.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One listening TCP socket of a process. */
export interface Socket {
  pid: number;
  /** As printed: `0.0.0.0`, `127.0.0.1`, `::`, `::1`, `::ffff:127.0.0.1`. */
  address: string;
  port: number;
  family: 4 | 6;
}

export type Sockets = { sockets: Socket[] } | { unsupported: string };

/** `0100007F` (little-endian words, as /proc prints them) → `127.0.0.1`; 32 hex digits → an IPv6 address. */
export function procAddress(hex: string): string {
  const word = (w: string): string[] => [w.slice(6, 8), w.slice(4, 6), w.slice(2, 4), w.slice(0, 2)];
  if (hex.length === 8) return word(hex).map((b) => parseInt(b, 16)).join('.');
  const bytes = [0, 8, 16, 24].flatMap((i) => word(hex.slice(i, i + 8)));
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => parseInt(bytes[i] + bytes[i + 1], 16));
  // An IPv4 address mapped into IPv6 (a dual-stack socket bound to 127.0.0.1 through ::ffff:).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes.slice(12).map((b) => parseInt(b, 16)).join('.')}`;
  return compressV6(groups);
}

function compressV6(groups: number[]): string {
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The listening sockets of a /proc/net/tcp{,6} table: inode → address and port. */
export function parseProcNet(text: string, family: 4 | 6): Map<string, { address: string; port: number; family: 4 | 6 }> {
  const out = new Map<string, { address: string; port: number; family: 4 | 6 }>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; 0A is LISTEN.
    if (f.length < 10 || f[3] !== '0A') continue;
    const [addr, port] = f[1].split(':');
    out.set(f[9], { address: procAddress(addr), port: parseInt(port, 16), family });
  }
  return out;
}

/** The process ids of a tree: the root, its descendants by parent id, and the members of its process group. */
export function processTree(root: number, group?: number): number[] {
  const parent = new Map<number, number>();
  const pgrp = new Map<number, number>();
  for (const name of safeList('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = safeRead(`/proc/${name}/stat`);
    // `pid (comm) state ppid pgrp ...`: comm may hold spaces and parentheses, so read after the last `)`.
    const rest = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!rest) continue;
    parent.set(Number(name), Number(rest[1]));
    pgrp.set(Number(name), Number(rest[2]));
  }
  const tree = new Set<number>(parent.has(root) ? [root] : []);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, pp] of parent) if (!tree.has(pid) && tree.has(pp)) { tree.add(pid); grew = true; }
  }
  if (group !== undefined) for (const [pid, g] of pgrp) if (g === group) tree.add(pid);
  return [...tree].sort((a, b) => a - b);
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Linux: each pid's socket inodes, looked up in its network namespace's TCP tables. */
function procSockets(pids: number[]): Socket[] {
  const out: Socket[] = [];
  const tables = new Map<string, Map<string, { address: string; port: number; family: 4 | 6 }>>();
  for (const pid of pids) {
    const inodes = safeList(`/proc/${pid}/fd`).map((fd) => { try { return readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return ''; } })
      .map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1]).filter((i): i is string => !!i);
    if (!inodes.length) continue;
    // The tables are the namespace's: processes of one namespace share them (read once per namespace).
    let ns = '';
    try { ns = readlinkSync(`/proc/${pid}/ns/net`); } catch { ns = `pid:${pid}`; }
    let table = tables.get(ns);
    if (!table) {
      table = new Map([...parseProcNet(safeRead(`/proc/${pid}/net/tcp`) ?? '', 4), ...parseProcNet(safeRead(`/proc/${pid}/net/tcp6`) ?? '', 6)]);
      tables.set(ns, table);
    }
    for (const i of new Set(inodes)) {
      const s = table.get(i);
      if (s) out.push({ pid, ...s });
    }
  }
  return dedupe(out);
}

function dedupe(list: Socket[]): Socket[] {
  const seen = new Set<string>();
  return list.filter((s) => { const k = `${s.pid}|${s.address}|${s.port}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((a, b) => a.port - b.port || a.address.localeCompare(b.address) || a.pid - b.pid);
}

/** lsof's `-F pn` listing of listening TCP sockets (`p123` then `n127.0.0.1:8080`, `n[::1]:8080`, `n*:8080`). */
export function parseLsof(text: string): Socket[] {
  const out: Socket[] = [];
  let pid = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    else if (line.startsWith('n')) {
      const m = /^(.*):(\d+)$/.exec(line.slice(1));
      if (!m) continue;
      let address = m[1].replace(/^\[|\]$/g, '');
      const family: 4 | 6 = address.includes(':') ? 6 : 4;
      // lsof prints the any-address as `*`; which family it is, the name does not say.
      if (address === '*') address = '0.0.0.0';
      out.push({ pid, address, port: Number(m[2]), family });
    }
  }
  return dedupe(out);
}

/** The tree's processes elsewhere than Linux: `ps` lists pid, parent and group. */
function psTree(root: number, group?: number): number[] {
  let text: string;
  try {
    text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
  } catch {
    return [root];
  }
  const rows = text.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter((r) => r.length === 3 && r.every(Number.isFinite));
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, pp] of rows) if (!tree.has(pid) && tree.has(pp)) { tree.add(pid); grew = true; }
  }
  if (group !== undefined) for (const [pid, , g] of rows) if (g === group) tree.add(pid);
  return [...tree];
}

export type Backend = 'proc' | 'lsof';

/** Which way this machine tells what a process listens on, or why it cannot. */
export function backend(forced?: Backend): Backend | { unsupported: string } {
  if (forced) return forced;
  if (process.platform === 'linux' && safeList('/proc/self/fd').length > 0) return 'proc';
  try {
    execFileSync('lsof', ['-v'], { stdio: 'ignore' });
    return 'lsof';
  } catch (e) {
    // lsof -v exits 0 on most systems and 1 on some; only "not found" means it is absent.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return 'lsof';
  }
  return { unsupported: `reading what a process listens on is supported on Linux (/proc) and where lsof is installed; this ${process.platform} machine has neither` };
}

/** The pids of a tree, as the chosen backend sees them. */
export function treeOf(root: number, group: number | undefined, how: Backend): number[] {
  return how === 'proc' ? processTree(root, group) : psTree(root, group);
}

/** What the processes listen on (TCP, LISTEN state). */
export function listeningSockets(pids: number[], how: Backend): Sockets {
  if (pids.length === 0) return { sockets: [] };
  if (how === 'proc') return { sockets: procSockets(pids) };
  try {
    const text = execFileSync('lsof', ['-a', '-nP', '-iTCP', '-sTCP:LISTEN', '-F', 'pn', '-p', pids.join(',')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { sockets: parseLsof(text) };
  } catch (e) {
    // lsof exits 1 when nothing matched.
    const out = (e as { stdout?: string }).stdout;
    if (typeof out === 'string' && (e as { status?: number }).status === 1) return { sockets: parseLsof(out) };
    return { unsupported: `lsof failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Every listening socket on the machine's (this namespace's) port, with the pid holding it where it can be found. */
export function portHolders(port: number, how: Backend): Socket[] {
  if (how === 'lsof') {
    try {
      return parseLsof(execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-F', 'pn'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch (e) {
      const out = (e as { stdout?: string }).stdout;
      return typeof out === 'string' ? parseLsof(out) : [];
    }
  }
  const table = new Map([...parseProcNet(safeRead('/proc/self/net/tcp') ?? '', 4), ...parseProcNet(safeRead('/proc/self/net/tcp6') ?? '', 6)]);
  const hits = [...table].filter(([, s]) => s.port === port);
  if (!hits.length) return [];
  // Whose socket it is: the process holding the inode, where this user may see its descriptors (else pid 0).
  const owner = new Map<string, number>();
  for (const name of safeList('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    for (const fd of safeList(`/proc/${name}/fd`)) {
      let l = '';
      try { l = readlinkSync(`/proc/${name}/fd/${fd}`); } catch { continue; }
      const i = /^socket:\[(\d+)\]$/.exec(l)?.[1];
      if (i && hits.some(([inode]) => inode === i)) owner.set(i, Number(name));
    }
  }
  return dedupe(hits.map(([inode, s]) => ({ pid: owner.get(inode) ?? 0, ...s })));
}

/** The listening sockets of a /proc/net/tcp{,6} text read elsewhere (a container's): no pids. */
export function socketsOfTables(tcp: string, tcp6: string): Socket[] {
  return dedupe([...parseProcNet(tcp, 4).values(), ...parseProcNet(tcp6, 6).values()].map((s) => ({ pid: 0, ...s })));
}
