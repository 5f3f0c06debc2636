// Health check commands name the port they probe in URLs, `host:port` and `nc host port`; Dockerfile and compose share this reader.
import type { LineIndex } from '../text';
import type { PortValue } from '../types';
import { expand, resolveVar } from './command';
import type { Word } from './command';
import { validPort } from '../yaml';

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };
/** A port token: digits or one variable reference. */
const PORT_TOKEN = /^(\d+|\$\w+|\$\{\w+(?::?[-+?][^}]*)?\})$/;
const SEPARATORS = new Set([';', '&&', '||', '|', '&']);
/** netcat options that take a value, so the value is not mistaken for the host or the port. */
const NC_VALUE_FLAGS = new Set(['-w', '-i', '-p', '-s', '-q', '-W', '-x', '-X', '-T', '-I', '-O', '-V', '-M', '-m', '-e', '-c', '--wait', '--source-port', '--source']);
/** curl/wget options whose value may look like `host:port` (`-u admin:1234`) but is not an address. */
const NOT_ADDRESS_FLAGS = new Set(['-u', '--user', '-U', '--proxy-user', '--http-user', '--http-password', '-H', '--header', '-d', '--data', '--data-raw', '-A', '--user-agent', '-o', '-O', '--output']);
/** Database clients whose health check connects to the port given by a flag. */
const CLIENT_FLAGS: Record<string, { port: string[]; host: string[] }> = {
  pg_isready: { port: ['-p', '--port'], host: ['-h', '--host'] },
  'redis-cli': { port: ['-p'], host: ['-h'] },
  mysqladmin: { port: ['-P', '--port'], host: ['-h', '--host'] },
  mariadb_admin: { port: ['-P', '--port'], host: ['-h', '--host'] },
  'mariadb-admin': { port: ['-P', '--port'], host: ['-h', '--host'] },
};

function basename(t: string): string {
  return t.slice(t.lastIndexOf('/') + 1);
}

/**
 * The ports a health check command connects to: `curl http://localhost:8080/health`,
 * `wget -qO- http://127.0.0.1:${PORT}/`, `nc -z localhost 8080`, `localhost:8080`,
 * `/dev/tcp/localhost/8080`, `pg_isready -p 5432`. A URL without a port gets its scheme's default
 * (located at the host). A variable that resolves to nothing gives a port with only `variable` set.
 */
export function healthcheckPorts(ix: LineIndex, words: Word[], env: (n: string) => string | undefined): { port: PortValue; host: string }[] {
  const cx: Probe = { ix, env, all: expand(ix, words), out: [] };
  for (let i = 0; i < cx.all.length; i++) i = readWord(cx, i);
  return cx.out;
}

/** What the readers of one health check share: its words (sh -c scripts expanded), its variables and the ports found so far. */
interface Probe {
  ix: LineIndex;
  env: (n: string) => string | undefined;
  all: Word[];
  out: { port: PortValue; host: string }[];
}

/** Where characters s..e of a word are in the source: exact only when the word spells its source and the span is not empty. */
function locOf(ix: LineIndex, w: Word, s: number, e: number): { loc: PortValue['loc']; exact: boolean } {
  return w.at && e > s ? { loc: ix.loc(w.at(s), w.at(e - 1) + 1), exact: true } : { loc: w.loc, exact: false };
}

/** The host a probe connects to: a variable's value where it has one, `localhost` when none is given. */
function hostOf(cx: Probe, raw: string): string {
  const h = raw.includes('$') ? (resolveVar(raw, cx.env)?.value ?? raw) : raw;
  return h.replace(/^\[|\]$/g, '') || 'localhost';
}

/** Adds characters s..e of a word as a probed port: a valid number, or a variable that resolves to nothing. */
function add(cx: Probe, w: Word, s: number, e: number, hostRaw: string): void {
  const raw = w.text.slice(s, e);
  const { loc, exact } = locOf(cx.ix, w, s, e);
  const v = resolveVar(raw, cx.env);
  const name = /^\$\{?(\w+)/.exec(raw)?.[1];
  if (v === undefined || v.value === '') {
    // Left to the rules: a compose variable or build arg may still supply it.
    if (name) cx.out.push({ port: { raw, loc, literal: false, variable: name }, host: hostOf(cx, hostRaw) });
    return;
  }
  const n = Number(v.value);
  if (!/^\d+$/.test(v.value) || !validPort(n)) return;
  const port: PortValue = { port: n, raw, loc, literal: exact && !v.variable };
  if (v.variable) port.variable = v.variable;
  cx.out.push({ port, host: hostOf(cx, hostRaw) });
}

/** `host:port[/path]` or `:port` starting at `s` of a word; false when the text is not one. */
function hostPort(cx: Probe, w: Word, s: number): boolean {
  const m = /^(\[[^\]]*\]|\$\{\w+\}|\$\w+|[A-Za-z0-9_.-]*):(\d+|\$\w+|\$\{\w+(?::?[-+?][^}]*)?\})(?:\/\S*)?$/.exec(w.text.slice(s));
  // All-digit "hosts" are times or ratios (`12:30`), not addresses.
  if (!m || /^\d+$/.test(m[1])) return false;
  add(cx, w, s + m[1].length + 1, s + m[1].length + 1 + m[2].length, m[1]);
  return true;
}

/** Reads the word at i: a URL, a /dev/tcp path, a netcat or database client call, or an address; returns the last index it read. */
function readWord(cx: Probe, i: number): number {
  const { all } = cx;
  const w = all[i];
  const t = w.text;
  if (urlPorts(cx, w) || devTcpPort(cx, w)) return i;
  const prog = basename(t);
  if (prog === 'nc' || prog === 'netcat' || prog === 'ncat') return netcatPort(cx, i);
  // Own keys only: a word such as `constructor` is a program, not an Object property.
  const client = Object.hasOwn(CLIENT_FLAGS, prog) ? CLIENT_FLAGS[prog] : undefined;
  if (client) return clientPort(cx, i, client);
  if (t.startsWith('-')) {
    // `grpc_health_probe -addr=:50051`, `--url=localhost:8080`
    const eq = t.indexOf('=');
    if (eq > 0) hostPort(cx, w, eq + 1);
    return i;
  }
  if (i === 0 || !NOT_ADDRESS_FLAGS.has(all[i - 1].text)) hostPort(cx, w, 0);
  return i;
}

/** Adds the ports of the URLs in a word (a scheme's default port where none is given); false when it holds none. */
function urlPorts(cx: Probe, w: Word): boolean {
  const t = w.text;
  let found = false;
  for (const m of t.matchAll(/([a-z][a-z0-9+.-]*):\/\//gi)) {
    const scheme = m[1].toLowerCase();
    const hs = (m.index ?? 0) + m[0].length;
    const u = /^(?:[^@/\s?#]*@)?(\[[^\]]*\]|\$\{[^}]*\}|[^:/\s?#'"]+)(?::(\d+|\$\w+|\$\{\w+(?::?[-+?][^}]*)?\}))?/.exec(t.slice(hs));
    if (!u) continue;
    const hostStart = hs + u[0].length - u[1].length - (u[2] !== undefined ? u[2].length + 1 : 0);
    if (u[2] !== undefined) {
      const ps = hostStart + u[1].length + 1;
      add(cx, w, ps, ps + u[2].length, u[1]);
      found = true;
    } else if (Object.hasOwn(DEFAULT_PORTS, scheme)) {
      const { loc } = locOf(cx.ix, w, hostStart, hostStart + u[1].length);
      cx.out.push({ port: { port: DEFAULT_PORTS[scheme], raw: t.slice(m.index ?? 0, hostStart + u[1].length), loc, literal: false }, host: hostOf(cx, u[1]) });
      found = true;
    }
  }
  return found;
}

/** Adds the port of a `/dev/tcp/host/port` (or udp) path in a word; false when it holds none. */
function devTcpPort(cx: Probe, w: Word): boolean {
  const dev = /\/dev\/(?:tcp|udp)\/([^/\s]+)\/(\d+|\$\w+|\$\{[^}]*\})/.exec(w.text);
  if (!dev) return false;
  const ps = (dev.index ?? 0) + dev[0].length - dev[2].length;
  add(cx, w, ps, ps + dev[2].length, dev[1]);
  return true;
}

/** Adds the port of `nc [options] host port` (the second positional argument); returns the last index of the call. */
function netcatPort(cx: Probe, i: number): number {
  const { all } = cx;
  const pos: Word[] = [];
  let j = i + 1;
  for (; j < all.length && !SEPARATORS.has(all[j].text); j++) {
    const a = all[j].text;
    if (NC_VALUE_FLAGS.has(a)) j++;
    else if (!a.startsWith('-')) pos.push(all[j]);
  }
  if (pos.length >= 2 && PORT_TOKEN.test(pos[1].text)) add(cx, pos[1], 0, pos[1].text.length, pos[0].text);
  return j - 1;
}

/** Adds the port a database client's flags name (its host flag gives the host); returns the last index of the call. */
function clientPort(cx: Probe, i: number, client: { port: string[]; host: string[] }): number {
  const { all } = cx;
  let host = 'localhost';
  let port: [Word, number] | undefined;
  let j = i + 1;
  for (; j < all.length && !SEPARATORS.has(all[j].text); j++) {
    const a = all[j].text;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const val: [Word, number] | undefined = flag !== a ? [all[j], eq + 1] : all[j + 1] ? [all[j + 1], 0] : undefined;
    if (!val) continue;
    if (client.port.includes(flag)) port = val;
    else if (client.host.includes(flag)) host = val[0].text.slice(val[1]);
    else continue;
    if (flag === a) j++;
  }
  if (port && PORT_TOKEN.test(port[0].text.slice(port[1]))) add(cx, port[0], port[1], port[0].text.length, host);
  return j - 1;
}
