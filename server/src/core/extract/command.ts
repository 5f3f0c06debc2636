// Start commands: the listening port and bind host that common servers take from their flags.
import type { LineIndex } from '../text';
import type { BindFact, CommandInfo, CommandPort, EnvVar, Loc } from '../types';
import { validPort } from '../yaml';

/** One argument; `at(i)` is the source offset of character i when the source spells it exactly. */
export interface Word {
  text: string;
  at?: (i: number) => number;
  loc: Loc;
  /** The index of the text the word was read from, when it is not the command's (a Kustomize patch's args after a base's command). */
  ix?: LineIndex;
}

/** Splits shell text into words (quotes removed), keeping each character's source offset. */
export function shellWords(text: string, at: ((i: number) => number) | undefined, loc: Loc): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let chars = '';
    const offs: number[] = [];
    let quote = '';
    for (; i < text.length; i++) {
      const c = text[i];
      // A backslash before a line end joins the lines (outside single quotes), as the shell does.
      if (c === '\\' && quote !== "'" && /^\r?\n/.test(text.slice(i + 1, i + 3))) {
        i += text[i + 1] === '\r' ? 2 : 1;
        continue;
      }
      if (quote) {
        if (c === quote) {
          quote = '';
          continue;
        }
        if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) i++;
      } else {
        if (/\s/.test(c)) break;
        if (c === '"' || c === "'") {
          quote = c;
          continue;
        }
        if ((c === ';' || c === '|' || c === '&') && chars === '') {
          chars = c;
          offs.push(i);
          while (i + 1 < text.length && text[i + 1] === c) {
            i++;
            chars += c;
            offs.push(i);
          }
          i++;
          break;
        }
        if (c === '\\' && i + 1 < text.length) i++;
      }
      chars += text[i];
      offs.push(i);
    }
    if (chars === '') continue;
    const o = offs;
    const wat = at ? (k: number) => at(o[Math.min(k, o.length - 1)] + (k >= o.length ? 1 : 0)) : undefined;
    out.push({ text: chars, at: wat, loc: wat ? spanLoc(loc, wat(0), wat(chars.length - 1) + 1) : loc });
  }
  return out;
}

function spanLoc(base: Loc, start: number, end: number): Loc {
  // Lines/columns are filled by the caller's LineIndex through `locOf`; keep offsets here.
  return { ...base, start, end };
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|::1|\[::1\]|ip6-localhost)$/i;
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/env', 'exec']);
/** Flags whose value is the server's own listening port. */
const PORT_FLAGS = new Set(['--port', '-p', '--http-port', '--server-port', '--listen-port', '-port', '--web-port', '--app-port']);
/** Flags whose value is `host:port`, `:port`, `tcp://host:port` or a host alone. */
const ADDR_FLAGS = new Set(['--bind', '-b', '--listen', '-l', '--addr', '-addr', '--address', '-address', '--listen-address', '--listen-addr', '--http-addr', '--http-address', '--web.listen-address', '--bind-address', '--host-port']);
const HOST_FLAGS = new Set(['--host', '-H', '--hostname', '-h']);
const URL_FLAGS = new Set(['--urls', '--url', '--server.urls']);

/** A secondary listening flag: counts as served, but is not the service's main port. */
function secondaryFlag(flag: string): boolean {
  return /^--?[\w.-]*(port|addr|address)$/i.test(flag) && !PORT_FLAGS.has(flag) && !ADDR_FLAGS.has(flag) && !/^--?(db|database|redis|mysql|postgres|pg|mongo|rabbit|amqp|kafka|upstream|backend|remote|target|proxy|api|sql|cache|broker|smtp|mail)[\w.-]*$/i.test(flag);
}

interface Env {
  (name: string): string | undefined;
}

/**
 * A container's command and args as the kubelet runs them: `$(NAME)` of a variable the container
 * defines (`env`, the lookup parseCommand takes) is its value (here spelled `${NAME}`, the same length,
 * so every offset still maps), `$$` an escaped `$`, and any other `$(NAME)` stays as written.
 */
export function kubeletWords(words: Word[], env: Env): Word[] {
  return words.map((w) => {
    if (!w.text.includes('$(')) return w;
    const text = w.text.replace(/\$\$|\$\((\w+)\)/g, (m, name?: string) => (name !== undefined && env(name) !== undefined ? `\${${name}}` : m));
    return text === w.text ? w : { ...w, text };
  });
}

/**
 * A container's env as the kubelet sets it: in each value, `$(NAME)` of a variable set earlier in the
 * list is that variable's value and `$$` an escaped `$`; a value that changes is no longer the literal
 * a fix could edit.
 */
export function kubeletEnv(env: EnvVar[]): EnvVar[] {
  if (!env.some((v) => v.value.includes('$'))) return env;
  const set = new Map<string, string>();
  return env.map((v) => {
    let out = v;
    if (v.value.includes('$')) {
      const value = v.value.replace(/\$\$|\$\(([^)]*)\)/g, (m, name?: string) => (name === undefined ? '$' : (set.get(name) ?? m)));
      if (value !== v.value) {
        out = { ...v, value, literal: false };
        if (/^\d+$/.test(value) && validPort(Number(value))) out.port = Number(value);
        else delete out.port;
      }
    }
    set.set(v.name, out.value);
    return out;
  });
}

/** Reads the listening ports and bind hosts of a command given as words. */
export function parseCommand(ix: LineIndex, words: Word[], env: Env = () => undefined): CommandInfo {
  const all = expand(ix, words);
  const cx: Reader = { ix, env, all, texts: all.map((w) => w.text), info: { ports: [], binds: [] } };
  let hostGiven = false;
  for (let i = 0; i < all.length; i++) if (readWord(cx, i)) hostGiven = true;
  if (!hostGiven) loopbackDefault(cx);
  addressArguments(cx);
  return cx.info;
}

/** What the readers of one command share: its words (sh -c scripts expanded), its variables and the facts found so far. */
interface Reader {
  ix: LineIndex;
  env: Env;
  all: Word[];
  texts: string[];
  info: CommandInfo;
}

/** Where characters s..e of a word are in the source: exact only when the word spells its source. */
function relocate(ix: LineIndex, w: Word, s: number, e: number): { loc: Loc; exact: boolean } {
  if (w.at) return { loc: (w.ix ?? ix).loc(w.at(s), w.at(e - 1) + 1), exact: true };
  return { loc: w.loc, exact: false };
}

/** Adds characters s..e of a word as a listening port when they resolve to a valid port number. */
function addPort(cx: Reader, w: Word, s: number, e: number, flag: string, primary: boolean): void {
  const raw = w.text.slice(s, e);
  const v = resolveVar(raw, cx.env);
  const { loc, exact } = relocate(cx.ix, w, s, e);
  if (v === undefined) return;
  const n = Number(v.value);
  if (!/^\d+$/.test(v.value) || !validPort(n)) return;
  const p: CommandPort = { port: n, raw, loc, literal: exact && !v.variable, flag, primary };
  if (v.variable) p.variable = v.variable;
  cx.info.ports.push(p);
}

/** Adds characters s..e of a word as a bind host unless they are empty. */
function addBind(cx: Reader, w: Word, s: number, e: number, via: string): void {
  const raw = w.text.slice(s, e);
  const v = resolveVar(raw, cx.env);
  const host = (v?.value ?? raw).replace(/^\[|\]$/g, '');
  if (host === '') return;
  const bind: BindFact = { host, loc: relocate(cx.ix, w, s, e).loc, via };
  if (v?.variable) bind.variable = v.variable;
  cx.info.binds.push(bind);
}

/** `host:port`, `:port`, `tcp://host:port`, `http://+:8080`, a host alone or a port alone. */
function addAddress(cx: Reader, w: Word, s: number, flag: string, primary: boolean, hostOnly = false): void {
  const t = w.text.slice(s);
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[^\]]*\]|[^:/\s;,]*)(?::(\$\{?\w+(?::?-[^}]*)?\}?|\d+))?/i.exec(t);
  if (!m) return;
  const schemeLen = (/^[a-z][a-z0-9+.-]*:\/\//i.exec(t) ?? [''])[0].length;
  const hostText = m[1];
  if (m[2] === undefined && /^\d+$/.test(hostText) && !hostOnly) {
    addPort(cx, w, s + schemeLen, s + schemeLen + hostText.length, flag, primary);
    return;
  }
  // A secondary listener (metrics, health) on loopback is private on purpose; only the main one's host matters.
  if (hostText && !['+', '*'].includes(hostText) && primary) addBind(cx, w, s + schemeLen, s + schemeLen + hostText.length, flag);
  if (m[2] !== undefined) {
    const ps = s + schemeLen + hostText.length + 1;
    addPort(cx, w, ps, ps + m[2].length, flag, primary);
  }
}

/** Reads the word at i: a Java property, a bare argument, or a flag with its value; true when it gives the host. */
function readWord(cx: Reader, i: number): boolean {
  const { all } = cx;
  const w = all[i];
  const t = w.text;
  const eq = t.indexOf('=');
  const flag = t.startsWith('-') ? (eq > 0 ? t.slice(0, eq) : t) : '';
  const jprop = /^-D([\w.-]*\bport)=/i.exec(t);
  if (jprop) {
    addPort(cx, w, jprop[0].length, t.length, `-D${jprop[1]}`, /^(server|http|quarkus\.http|micronaut\.server)\.port$/i.test(jprop[1]));
    return false;
  }
  if (!flag) {
    if (/^tcp:\/\//.test(t) && i > 0 && /^-(b|-bind)$/.test(all[i - 1].text)) return false;
    // `python -m http.server 8000`, `php -S 0.0.0.0:8000`
    if (/^\d+$/.test(t) && i > 0 && all[i - 1].text === 'http.server') addPort(cx, w, 0, t.length, 'http.server', true);
    return false;
  }
  const next = all[i + 1];
  const value: [Word, number] | undefined = eq > 0 ? [w, eq + 1] : next && !next.text.startsWith('-') ? [next, 0] : undefined;
  return value !== undefined && readFlag(cx, flag, value[0], value[1]);
}

/** Which kind of listening flag `flag` is, read from its value at `vs` of `vw`; true when it gives the host. */
function readFlag(cx: Reader, flag: string, vw: Word, vs: number): boolean {
  const value = vw.text.slice(vs);
  if (PORT_FLAGS.has(flag)) {
    if (flag === '-p' && !/^(\d+|\$\{?\w+.*)$/.test(value)) return false;
    addPort(cx, vw, vs, vw.text.length, flag, true);
  } else if (ADDR_FLAGS.has(flag) || (flag === '-S' && cx.texts.includes('php'))) {
    if (flag === '-l' && !/[:.]/.test(value)) return false;
    addAddress(cx, vw, vs, flag, true);
    return true;
  } else if (HOST_FLAGS.has(flag)) {
    if (flag === '-h' && !cx.texts.some((x) => x === 'flask')) return false;
    addAddress(cx, vw, vs, flag, true, true);
    return true;
  } else if (URL_FLAGS.has(flag)) {
    for (const part of splitList(value)) addAddress(cx, vw, vs + part.start, flag, true);
    return true;
  } else if (/^--[\w.-]*\.port$/i.test(flag)) {
    addPort(cx, vw, vs, vw.text.length, flag, /^--(server|http)\.port$/i.test(flag));
  } else if (secondaryFlag(flag)) {
    if (/(port)$/i.test(flag)) addPort(cx, vw, vs, vw.text.length, flag, false);
    else addAddress(cx, vw, vs, flag, false);
  }
  return false;
}

/** Adds the loopback bind of a server that binds loopback when no host is given (uvicorn, `flask run`). */
function loopbackDefault(cx: Reader): void {
  const { all, env } = cx;
  if (all.length === 0) return;
  const prog = all.findIndex((w) => /(^|\/)uvicorn$/.test(w.text) || (w.text === 'flask' && all.some((x) => x.text === 'run')));
  if (prog < 0) return;
  const which = /uvicorn/.test(all[prog].text) ? 'uvicorn' : 'flask run';
  const envHost = env(which === 'uvicorn' ? 'UVICORN_HOST' : 'FLASK_RUN_HOST');
  if (envHost === undefined && !all.some((w) => w.text === '--uds' || w.text === '--fd')) cx.info.binds.push({ host: '127.0.0.1', loc: all[prog].loc, via: which, defaulted: true });
}

/** Adds the arguments that look like a URL or host:port: they may call another service (reference-port decides). */
function addressArguments(cx: Reader): void {
  const { all } = cx;
  for (let i = 0; i < all.length; i++) {
    const w = all[i];
    const eq = w.text.startsWith('-') ? w.text.indexOf('=') : -1;
    const s = eq > 0 ? eq + 1 : 0;
    const value = w.text.slice(s);
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s]+$|^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}(,|$)/i.test(value)) continue;
    const { loc } = relocate(cx.ix, w, s, w.text.length);
    const name = eq > 0 ? w.text.slice(0, eq) : i > 0 && all[i - 1].text.startsWith('-') ? all[i - 1].text : 'command argument';
    (cx.info.addresses ??= []).push({ name, value, nameLoc: loc, valueLoc: loc, literal: false });
  }
}

/** Splits `sh -c "script"` scripts into their words; other words stay as they are. */
export function expand(ix: LineIndex, words: Word[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const prev = words[i - 1]?.text;
    if ((prev === '-c' && i >= 2 && SHELLS.has(words[i - 2].text)) || (/\s/.test(w.text) && !w.text.startsWith('-'))) {
      for (const sub of shellWords(w.text, w.at, w.loc)) out.push(withLines(w.ix ?? ix, { ...sub, ix: w.ix }));
    } else out.push(w);
  }
  return out;
}

/** A split word's lines and columns from its offsets; a word without offsets keeps the Loc it was given (already placed). */
function withLines(ix: LineIndex, w: Word): Word {
  return w.at ? { ...w, loc: ix.loc(w.loc.start, w.loc.end) } : w;
}

function splitList(s: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  for (const part of s.split(/[;,]/)) {
    out.push({ start, text: part });
    start += part.length + 1;
  }
  return out;
}

/** `$PORT`, `${PORT}`, `${PORT:-8080}`, `${PORT-8080}`; literal text comes back as it is. */
export function resolveVar(raw: string, env: Env): { value: string; variable?: string } | undefined {
  const m = /^\$(?:\{(\w+)(?:(:?[-?])([^}]*))?\}|(\w+))$/.exec(raw);
  if (!m) return raw.includes('$') ? undefined : { value: raw };
  const name = m[1] ?? m[4];
  const val = env(name);
  if (val !== undefined && (val !== '' || !m[2]?.startsWith(':'))) return { value: val, variable: name };
  // `${X:-default}` gives its default; `${X:?message}` has no value without X (the shell stops there).
  if (m[3] !== undefined && !m[2]?.endsWith('?')) return { value: m[3], variable: name };
  return undefined;
}

/** Words from a shell-form command string with exact offsets. */
export function wordsOfShell(ix: LineIndex, text: string, at: ((i: number) => number) | undefined, loc: Loc): Word[] {
  return shellWords(text, at, loc).map((w) => withLines(ix, w));
}

export type { BindFact };
