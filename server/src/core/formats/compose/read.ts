// Compose files to service facts with exact ranges, so rules can point at (and fixes can rewrite) the very digits of a port.
import { isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Node } from 'yaml';
import { LineIndex } from '../../text';
import type { CommandInfo, ComposeFacts, ComposePort, ComposeService, EnvVar, Loc, PortValue, ProbeFact, Problem, Protocol, SourceFile } from '../../types';
import { LIMITS } from '../../limits';
import { items, nodeLoc, pairs, parseYaml, scalarText, validPort } from '../../yaml';
import type { ScalarText, YamlDoc } from '../../yaml';
import { parseCommand, wordsOfShell } from '../../extract/command';
import type { Word } from '../../extract/command';
import { healthcheckPorts } from '../../extract/healthcheck';
import { commentSuppressions } from '../../extract/suppress';

const COMPOSE_NAME = /^(docker-)?compose(\.[^/\\]+)?\.ya?ml$/i;

/** `compose.yaml`, `docker-compose.yml` and their `.<anything>.` variants (overrides, environments). */
export function isComposeFileName(basename: string): boolean {
  return COMPOSE_NAME.test(basename);
}

/** The first line of every override `port-parity local` writes. */
export const LOCAL_HEADER = '# Written by port-parity local.';

/**
 * `interpolation`: variables from the `.env` file beside the compose file; `dotenv`: the same with their
 * places, so that a port set there is located there (and fixed there), the compose text that uses it a
 * related location (`facts.vias`).
 */
export function extractCompose(file: SourceFile, interpolation: Record<string, string>, dotenv: EnvVar[] = []): ComposeFacts {
  const facts: ComposeFacts = { kind: 'compose', file: file.path, services: [], problems: [], suppressions: [] };
  // The project's .env may name the files Compose reads as the project (COMPOSE_FILE, split as Compose splits it on Linux).
  const listed = interpolation.COMPOSE_FILE?.split(interpolation.COMPOSE_PATH_SEPARATOR || ':').map((x) => x.trim()).filter(Boolean);
  if (listed?.length) facts.composeFile = listed;
  // Compose reads it only when asked (-f, COMPOSE_FILE), whatever its name: so does the project reader.
  if (file.text.startsWith(LOCAL_HEADER)) facts.writtenByLocal = true;
  const profiles = interpolation.COMPOSE_PROFILES?.split(',').map((x) => x.trim()).filter(Boolean);
  if (profiles?.length) facts.profilesEnabled = profiles;
  const ix = new LineIndex(file.path, file.text);
  try {
    facts.suppressions = commentSuppressions(file.text);
  } catch {
    // Suppressions are a convenience: a failure there must not cost the facts.
  }
  try {
    const parsed = parseYaml(file.text);
    const first = parsed.errors[0];
    if (first) facts.problems.push({ message: `YAML syntax error: ${first.message}`, loc: pointLoc(ix, first.offset) });
    if (parsed.notes.length) facts.unknowns = parsed.notes.map((n) => ({ message: n.message, loc: pointLoc(ix, n.offset) }));
    for (const doc of parsed.docs) {
      const reader = new Reader(ix, doc, interpolation, facts.problems, new Map(dotenv.map((v) => [v.name, v])), facts);
      reader.includes(doc.contents ?? undefined, facts);
      const services = reader.lookup(doc.contents, 'services');
      if (!isMap(services)) continue;
      let count = 0;
      for (const { key, value } of reader.entries(services)) {
        if (++count > LIMITS.servicesPerFile) {
          facts.unknowns = [...(facts.unknowns ?? []), { message: `only the first ${LIMITS.servicesPerFile} services of this file are read: this one and the ones after it are not checked`, loc: scalarText(ix, key).loc }];
          break;
        }
        const name = String(key.value);
        try {
          facts.services.push(reader.service(name, key, value));
        } catch (e) {
          facts.problems.push({ message: `could not read compose file: service "${name}": ${errorText(e)}`, loc: scalarText(ix, key).loc });
        }
      }
      // Compose reads one document; a second one with services would be ignored by Docker too.
      break;
    }
  } catch (e) {
    facts.problems.push({ message: `could not read compose file: ${errorText(e)}`, loc: ix.loc(0, 0) });
  }
  return facts;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A one-character range at an error offset, so the editor has something to underline. */
function pointLoc(ix: LineIndex, offset: number): Loc {
  const at = Math.max(0, Math.min(offset, ix.text.length));
  const c = ix.text[at];
  return ix.loc(at, c === undefined || c === '\n' || c === '\r' ? at : at + 1);
}

// ---------------------------------------------------------------------------------------------
// Interpolation with provenance: every character of the interpolated text remembers where it came
// from, so a port that came from `${HOST_PORT:-8080}` points at that token and is not "literal".

/** Stands for the expansion of an unset variable; a single char so it never adds `:` or `/`. */
const UNSET = '\uE000';

interface Origin {
  start: number;
  end: number;
  /** The character is spelled as itself at `start` in the source. */
  exact: boolean;
  variable?: string;
  unset?: boolean;
  /** The variable's own value (not a default or a `:+` alternative): every character of it shares this origin. */
  own?: boolean;
}

interface Tracked {
  text: string;
  origins: Origin[];
  /** The scalar's own range, for empty parts. */
  loc: Loc;
}

/** A slice of a tracked text, with the source range it came from. */
interface Part {
  text: string;
  loc: Loc;
  raw: string;
  literal: boolean;
  variable?: string;
  unset: boolean;
  /** The part is exactly one variable's own value, whole. */
  whole?: string;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/;

function interpolate(s: string, vars: Record<string, string>, origin: (i: number, n: number) => Origin): { text: string; origins: Origin[] } {
  let text = '';
  const origins: Origin[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '$') {
      text += s[i];
      origins.push(origin(i, 1));
      i++;
      continue;
    }
    if (s[i + 1] === '$') {
      text += '$';
      origins.push({ ...origin(i, 2), exact: false });
      i += 2;
      continue;
    }
    const ref = reference(s, i, vars);
    if (!ref) {
      // Compose rejects a lone `$`; keeping it literal is kinder than dropping the whole value.
      text += '$';
      origins.push(origin(i, 1));
      i++;
      continue;
    }
    const o: Origin = { ...origin(i, ref.end - i), exact: false, variable: ref.name, own: ref.own };
    if (ref.value === undefined) {
      text += UNSET;
      origins.push({ ...o, unset: true });
    } else {
      text += ref.value;
      for (let k = 0; k < ref.value.length; k++) origins.push(o);
    }
    i = ref.end;
  }
  return { text, origins };
}

/** The variable reference starting at `s[i] === '$'`: its end and value (undefined when unset). */
function reference(s: string, i: number, vars: Record<string, string>): { end: number; name: string; value?: string; own: boolean } | undefined {
  const lookup = (n: string): string | undefined => (Object.prototype.hasOwnProperty.call(vars, n) ? vars[n] : undefined);
  if (s[i + 1] !== '{') {
    NAME.lastIndex = i + 1;
    const m = NAME.exec(s);
    if (!m) return undefined;
    return { end: i + 1 + m[0].length, name: m[0], value: lookup(m[0]), own: true };
  }
  let depth = 1;
  let j = i + 2;
  while (j < s.length && depth > 0) {
    if (s[j] === '$' && s[j + 1] === '{') {
      depth++;
      j += 2;
      continue;
    }
    if (s[j] === '}') depth--;
    j++;
  }
  if (depth > 0) return undefined;
  const m = BRACED.exec(s.slice(i + 2, j - 1));
  if (!m) return undefined;
  const name = m[1];
  const v = lookup(name);
  const set = v !== undefined;
  const full = set && v !== '';
  const arg = (): string | undefined => expand(m[3] ?? '', vars);
  let value: string | undefined;
  switch (m[2]) {
    case undefined: value = v; break;
    case ':-': value = full ? v : arg(); break;
    case '-': value = set ? v : arg(); break;
    case ':?': value = full ? v : undefined; break;
    case '?': value = set ? v : undefined; break;
    case ':+': value = full ? arg() : ''; break;
    case '+': value = set ? arg() : ''; break;
  }
  // The variable's own value, not a default or an alternative: a port there is the .env's.
  const own = value !== undefined && (m[2] === undefined || (m[2].startsWith(':') ? full && m[2] !== ':+' : set && m[2] !== '+'));
  return { end: j, name, value, own };
}

/** A nested default's expansion, or undefined when it needs an unset variable. */
function expand(s: string, vars: Record<string, string>): string | undefined {
  const r = interpolate(s, vars, () => ({ start: 0, end: 0, exact: false }));
  return r.text.includes(UNSET) ? undefined : r.text;
}

function track(st: ScalarText, vars: Record<string, string>): Tracked {
  const at = st.at;
  const origin = (i: number, n: number): Origin => (at ? { start: at(i), end: at(i + n - 1) + 1, exact: n === 1 } : { start: st.loc.start, end: st.loc.end, exact: false });
  return { ...interpolate(st.value, vars, origin), loc: st.loc };
}

function part(ix: LineIndex, t: Tracked, s: number, e: number): Part {
  if (s >= e) {
    // An empty part sits where it would have been: right after the previous character.
    const off = s > 0 ? t.origins[s - 1].end : t.origins[0]?.start ?? t.loc.start;
    return { text: '', loc: ix.loc(off, off), raw: '', literal: false, unset: false };
  }
  let start = Infinity;
  let end = -Infinity;
  let literal = true;
  let variable: string | undefined;
  let unset = false;
  for (let k = s; k < e; k++) {
    const o = t.origins[k];
    start = Math.min(start, o.start);
    end = Math.max(end, o.end);
    if (!o.exact || o.start !== t.origins[s].start + (k - s)) literal = false;
    variable ??= o.variable;
    if (o.unset) unset = true;
  }
  const p: Part = { text: t.text.slice(s, e), loc: ix.loc(start, end), raw: ix.text.slice(start, end), literal, unset };
  if (variable !== undefined) p.variable = variable;
  const o = t.origins[s];
  if (o.own && o.variable !== undefined && t.origins[s - 1] !== o && t.origins[e] !== o && t.origins.slice(s, e).every((x) => x === o)) p.whole = o.variable;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Port values.

type PortRead =
  | { kind: 'port'; value: PortValue; size: number; range: boolean }
  | { kind: 'unset'; value: PortValue }
  | { kind: 'empty' }
  | { kind: 'problem'; problem: Problem };

function describe(p: Part): string {
  return p.variable !== undefined && !p.literal ? `"${p.text}" (from \${${p.variable}})` : `"${p.text}"`;
}

function readPortPart(p: Part, what: string, allowRange: boolean): PortRead {
  if (p.unset) {
    const value: PortValue = { raw: p.raw, loc: p.loc, literal: false };
    if (p.variable !== undefined) value.variable = p.variable;
    return { kind: 'unset', value };
  }
  if (p.text === '') return { kind: 'empty' };
  const m = /^(\d+)(?:-(\d+))?$/.exec(p.text);
  const problem = (message: string): PortRead => ({ kind: 'problem', problem: { message, loc: p.loc } });
  if (!m) return problem(`${what} ${describe(p)} is not a port number`);
  if (m[2] !== undefined && !allowRange) return problem(`${what} ${describe(p)} must be a single port, not a range`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  for (const n of [a, b]) if (!validPort(n)) return problem(`${what} ${n} is out of range (1-65535)`);
  if (b < a) return problem(`${what} range ${describe(p)} ends before it starts`);
  const value: PortValue = { port: a, raw: p.raw, loc: p.loc, literal: p.literal && m[2] === undefined };
  if (p.variable !== undefined) value.variable = p.variable;
  return { kind: 'port', value, size: b - a + 1, range: m[2] !== undefined };
}

function readProtocol(p: Part): Protocol | Problem {
  if (p.unset) return 'TCP';
  const v = p.text.toLowerCase();
  if (v === 'tcp' || v === 'udp' || v === 'sctp') return v.toUpperCase() as Protocol;
  return { message: `unknown protocol ${describe(p)} (expected tcp, udp or sctp)`, loc: p.loc };
}

function isIPv4(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return m !== null && m.slice(1).every((x) => Number(x) <= 255);
}

function isIPv6(s: string): boolean {
  let t = s.replace(/%[\w.-]+$/, '');
  let groups = 8;
  const tail = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  if (tail) {
    if (!isIPv4(tail[1])) return false;
    t = t.slice(0, tail.index + 1) + '0';
    groups = 7;
  }
  const halves = t.split('::');
  if (halves.length > 2) return false;
  const hex = (h: string): string[] | undefined => {
    if (h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9a-f]{1,4}$/i.test(x)) ? g : undefined;
  };
  const a = hex(halves[0]);
  const b = halves.length === 2 ? hex(halves[1]) : [];
  if (!a || !b) return false;
  const n = a.length + b.length;
  return halves.length === 2 ? n < groups : n === groups;
}

function readHostIp(p: Part): string | Problem | undefined {
  if (p.unset || p.text === '') return undefined;
  if (isIPv4(p.text) || isIPv6(p.text)) return p.text;
  return { message: `${describe(p)} is not an IP address`, loc: p.loc };
}

// ---------------------------------------------------------------------------------------------

class Reader {
  constructor(
    private readonly ix: LineIndex,
    private readonly doc: YamlDoc,
    private readonly vars: Record<string, string>,
    private readonly problems: Problem[],
    private readonly dotenv: Map<string, EnvVar> = new Map(),
    private readonly facts?: ComposeFacts,
  ) {}

  /**
   * A value that is one `.env` variable's own value, whole (`${WEB_PORT:-8080}` with WEB_PORT=9090 in the
   * .env): the token is the .env's, located and fixed there; the compose text using it is related.
   */
  located(p: Part, port: number | undefined): { loc: Loc; literal: boolean; raw: string } | undefined {
    const v = p.whole === undefined ? undefined : this.dotenv.get(p.whole);
    if (!v || port === undefined || v.port !== port || !this.facts) return undefined;
    const vias = (this.facts.vias ??= new Map());
    const key = `${v.valueLoc.file}|${v.valueLoc.start}`;
    if (!vias.has(key)) vias.set(key, { loc: p.loc, text: `${p.raw} in ${this.ix.file}` });
    return { loc: v.valueLoc, literal: v.literal, raw: v.value };
  }

  /** A port part read, a single port set whole in the .env taken from there. */
  port(p: Part, what: string, allowRange: boolean): PortRead {
    const r = readPortPart(p, what, allowRange);
    const at = r.kind === 'port' && !r.range ? this.located(p, r.value.port) : undefined;
    if (r.kind === 'port' && at) r.value = { ...r.value, ...at };
    return r;
  }

  /** Follows anchors (`*name`) so an aliased block reads like the original. */
  deref(node: unknown): Node | undefined {
    let cur: unknown = node;
    for (let k = 0; k < 20 && isAlias(cur); k++) {
      try {
        cur = cur.resolve(this.doc);
      } catch {
        return undefined;
      }
    }
    return cur === null || cur === undefined || isAlias(cur) ? undefined : (cur as Node);
  }

  /** A map's entries, with `<<: *anchor` merge keys applied (own keys win, as in YAML 1.1). */
  entries(node: unknown, depth = 0): { key: Scalar; value: Node | undefined }[] {
    const map = this.deref(node);
    if (!isMap(map) || depth > 10) return [];
    const out: { key: Scalar; value: Node | undefined }[] = [];
    const merged: { key: Scalar; value: Node | undefined }[] = [];
    const seen = new Set<string>();
    for (const p of pairs(map)) {
      if (p.key.value === '<<' || typeof p.key.value === 'symbol') {
        const src = this.deref(p.value);
        for (const s of isSeq(src) ? items(src) : [src]) merged.push(...this.entries(s, depth + 1));
        continue;
      }
      const k = String(p.key.value);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ key: p.key, value: this.deref(p.value) });
    }
    for (const p of merged) {
      const k = String(p.key.value);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(p);
    }
    return out;
  }

  has(node: unknown, key: string): boolean {
    return this.entries(node).some((p) => String(p.key.value) === key);
  }

  lookup(node: unknown, key: string): Node | undefined {
    return this.entries(node).find((p) => String(p.key.value) === key)?.value;
  }

  list(node: unknown): Node[] {
    const seq = this.deref(node);
    return isSeq(seq) ? items(seq).map((n) => this.deref(n)).filter((n): n is Node => n !== undefined) : [];
  }

  /**
   * The scalar as its source spells it: YAML may read `22:22` as sexagesimal or `0x1F` as 31, but
   * Compose ports and variables are about the characters written, so plain non-strings keep them.
   */
  spell(node: unknown): ScalarText | undefined {
    if (!isScalar(node) || node.value === null || node.value === undefined || typeof node.value === 'object') return undefined;
    const r = node.range;
    if (r && (node.type === Scalar.PLAIN || node.type === undefined) && typeof node.value !== 'string') {
      const src = this.ix.text.slice(r[0], r[1]);
      if (src !== '' && !/[\r\n]/.test(src)) return { value: src, at: (i) => r[0] + i, loc: this.ix.loc(r[0], r[1]) };
    }
    const st = scalarText(this.ix, node);
    // A quote left open by a syntax error can give an inverted inner range: fall back to the node.
    if (st.loc.end < st.loc.start) {
      const at = r ? r[0] : st.loc.end;
      return { value: st.value, loc: this.ix.loc(at, at) };
    }
    return st;
  }

  tracked(node: unknown): Tracked | undefined {
    const st = this.spell(node);
    return st ? track(st, this.vars) : undefined;
  }

  /** An interpolated string; with an unset variable, the text as written (it names nothing real). */
  text(node: unknown): string | undefined {
    const st = this.spell(node);
    if (!st) return undefined;
    const t = track(st, this.vars);
    return t.text.includes(UNSET) ? st.value : t.text;
  }

  /** An interpolated string, or undefined when a variable is unset (the shell may set it). */
  resolved(node: unknown): string | undefined {
    const t = this.tracked(node);
    return t === undefined || t.text.includes(UNSET) ? undefined : t.text;
  }

  /** A block node's range without the line break and blank lines YAML counts into it. */
  blockLoc(node: Node): Loc {
    const r = node.range ?? [0, 0, 0];
    let end = r[1];
    while (end > r[0] && /\s/.test(this.ix.text[end - 1])) end--;
    return this.ix.loc(r[0], end);
  }

  problem(p: Problem): void {
    this.problems.push(p);
  }

  service(name: string, key: Scalar, raw: Node | undefined): ComposeService {
    const svc: ComposeService = {
      name,
      nameLoc: scalarText(this.ix, key).loc,
      aliases: [],
      ports: [],
      expose: [],
      environment: [],
      envFiles: [],
      healthchecks: [],
      hasHealthcheck: false,
      networkModeHost: false,
    };
    const node = this.deref(raw);
    if (!isMap(node)) return svc;
    const field = (k: string): Node | undefined => this.lookup(node, k);
    // Compose 2.24+: `ports: !override [...]` replaces the base's list, `!reset` clears it.
    const replaced = pairs(node).filter((p) => p.value && (p.value.tag === '!override' || p.value.tag === '!reset')).map((p) => String(p.key.value));
    if (replaced.length) svc.replaced = replaced;

    this.extendsOf(svc, node);
    const profiles = this.list(field('profiles')).map((n) => this.resolved(n)).filter((x): x is string => !!x);
    if (profiles.length) svc.profiles = profiles;

    const image = this.text(field('image'));
    if (image !== undefined) svc.image = image;
    const containerName = this.text(field('container_name'));
    if (containerName !== undefined) svc.containerName = containerName;
    this.build(svc, field('build'));
    this.networks(svc, field('networks'));
    svc.networkModeHost = this.resolved(field('network_mode')) === 'host';

    const ports = field('ports');
    if (ports !== undefined) {
      if (!isSeq(ports)) this.problem({ message: 'ports must be a list', loc: this.blockLoc(ports) });
      for (const item of this.list(ports)) {
        const p = isMap(item) ? this.longPort(item) : isScalar(item) ? this.shortPort(item) : this.badEntry(item);
        if (p) svc.ports.push(p);
      }
    }
    for (const item of this.list(field('expose'))) this.expose(svc, item);
    this.environment(svc, field('environment'));
    this.envFiles(svc, field('env_file'));

    const env = new Map<string, string>();
    for (const v of svc.environment) env.set(v.name, v.value);
    const resolver = (n: string): string | undefined => env.get(n) ?? (Object.prototype.hasOwnProperty.call(this.vars, n) ? this.vars[n] : undefined);
    const command = this.command(field('command'), resolver);
    if (command) svc.command = command;
    const entrypoint = this.command(field('entrypoint'), resolver);
    if (entrypoint) svc.entrypoint = entrypoint;

    if (this.has(node, 'healthcheck')) {
      svc.hasHealthcheck = true;
      svc.healthchecks = this.healthcheck(field('healthcheck'), resolver);
    }
    return svc;
  }

  /** `extends: base` or `extends: {file, service}`. */
  extendsOf(svc: ComposeService, node: Node): void {
    const e = this.entries(node).find((p) => String(p.key.value) === 'extends');
    if (!e) return;
    const loc = scalarText(this.ix, e.key).loc;
    const map = isMap(e.value);
    const service = map ? this.resolved(this.lookup(e.value, 'service')) : this.resolved(e.value);
    if (!service) {
      this.problem({ message: 'extends must name a service (`extends: base` or `extends: {file: common.yml, service: base}`)', loc });
      return;
    }
    svc.extends = { service, loc };
    const file = map ? this.resolved(this.lookup(e.value, 'file')) : undefined;
    if (file) svc.extends.file = file;
  }

  /** Top-level `include:`: a path, a list of paths, or `{path, project_directory, env_file}` items. */
  includes(root: Node | undefined, facts: ComposeFacts): void {
    for (const item of this.list(this.lookup(root, 'include'))) {
      const loc = this.blockLoc(item);
      const pathNode = isMap(item) ? this.lookup(item, 'path') : item;
      const paths = (isSeq(pathNode) ? this.list(pathNode) : [pathNode]).map((n) => this.resolved(n)).filter((x): x is string => !!x);
      if (paths.length === 0) {
        this.problem({ message: 'an include item must name a compose file (`- path/compose.yaml` or `- path: path/compose.yaml`)', loc });
        continue;
      }
      (facts.includes ??= []).push({ paths, loc });
      // Port Parity interpolates each file with the .env beside it, which is Compose's default for an
      // included file (its own folder is its project directory); another one is not followed.
      const other = isMap(item) ? ['project_directory', 'env_file'].filter((k) => this.has(item, k)) : [];
      if (other.length) (facts.unknowns ??= []).push({ message: `include: ${other.join(' and ')} not followed: ${paths.join(', ')} is interpolated with the .env beside it`, loc });
    }
  }

  badEntry(item: Node): undefined {
    this.problem({ message: 'a port entry must be a string like "8080:80" or a map with target', loc: this.blockLoc(item) });
    return undefined;
  }

  build(svc: ComposeService, node: Node | undefined): void {
    if (node === undefined) return;
    if (isScalar(node)) {
      const context = this.text(node);
      if (context !== undefined) svc.build = { context, args: {} };
      return;
    }
    if (!isMap(node)) return;
    // The Compose spec defaults the context to the project directory.
    const build: NonNullable<ComposeService['build']> = { context: this.text(this.lookup(node, 'context')) ?? '.', args: {} };
    const dockerfile = this.text(this.lookup(node, 'dockerfile'));
    if (dockerfile !== undefined) build.dockerfile = dockerfile;
    const target = this.text(this.lookup(node, 'target'));
    if (target !== undefined) build.target = target;
    const args = this.lookup(node, 'args');
    if (isMap(args)) {
      for (const { key, value } of this.entries(args)) {
        const v = this.resolved(value);
        if (v !== undefined) build.args[String(key.value)] = v;
      }
    } else {
      for (const item of this.list(args)) {
        const v = this.resolved(item);
        const eq = v?.indexOf('=') ?? -1;
        // `- NAME` without a value takes it from the shell: nothing known here.
        if (v !== undefined && eq > 0) build.args[v.slice(0, eq)] = v.slice(eq + 1);
      }
    }
    svc.build = build;
  }

  networks(svc: ComposeService, node: Node | undefined): void {
    // The list form (`networks: [front]`) carries no aliases.
    if (!isMap(node)) return;
    for (const { value } of this.entries(node)) {
      for (const a of this.list(this.lookup(value, 'aliases'))) {
        const alias = this.resolved(a);
        if (alias !== undefined && alias !== '') svc.aliases.push(alias);
      }
    }
  }

  /** `"[IP:][HOST:]CONTAINER[/PROTOCOL]"`, with ranges and IPv6 in brackets, as Docker splits it. */
  shortPort(node: Scalar): ComposePort | undefined {
    const t = this.tracked(node);
    if (!t) {
      this.problem({ message: 'port entry is empty', loc: nodeLoc(this.ix, node) });
      return undefined;
    }
    const entryLoc = nodeLoc(this.ix, node);
    const text = t.text;
    const malformed = (): undefined => {
      this.problem({ message: `malformed port mapping "${text}": expected [IP:][HOST:]CONTAINER[/PROTOCOL]`, loc: entryLoc });
      return undefined;
    };
    const P = (s: number, e: number): Part => part(this.ix, t, s, e);

    let protocol: Protocol = 'TCP';
    let bodyEnd = text.length;
    const slash = text.lastIndexOf('/');
    if (slash >= 0) {
      const proto = readProtocol(P(slash + 1, text.length));
      if (typeof proto !== 'string') {
        this.problem(proto);
        return undefined;
      }
      protocol = proto;
      bodyEnd = slash;
    }

    let ip: Part | undefined;
    let host: Part | undefined;
    let container: Part;
    let bracketed = false;
    if (text[0] === '[') {
      const close = text.indexOf(']');
      if (close < 0 || close > bodyEnd || text[close + 1] !== ':') return malformed();
      bracketed = true;
      ip = P(1, close);
      const rest = text.slice(close + 2, bodyEnd);
      const colon = rest.indexOf(':');
      if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) return malformed();
      host = P(close + 2, close + 2 + colon);
      container = P(close + 2 + colon + 1, bodyEnd);
    } else {
      const colons: number[] = [];
      for (let i = 0; i < bodyEnd; i++) if (text[i] === ':') colons.push(i);
      const n = colons.length;
      if (n === 0) container = P(0, bodyEnd);
      else {
        container = P(colons[n - 1] + 1, bodyEnd);
        const hostStart = n >= 2 ? colons[n - 2] + 1 : 0;
        host = P(hostStart, colons[n - 1]);
        // Docker joins everything before the last two parts into the IP (unbracketed IPv6).
        if (n >= 2) ip = P(0, colons[n - 2]);
      }
    }

    const port: ComposePort = { container: { raw: '', loc: entryLoc, literal: false }, protocol, count: 1, loc: entryLoc };
    if (ip) {
      const hostIp = readHostIp(ip);
      if (typeof hostIp === 'object') {
        if (!bracketed && ip.text.includes(':') && !ip.unset) return malformed();
        this.problem(hostIp);
        return undefined;
      }
      if (hostIp !== undefined) port.hostIp = hostIp;
    }
    return this.sides(port, container, host, 'container port', 'host port', true);
  }

  /** Fills container and host sides and checks that their ranges agree. */
  private sides(port: ComposePort, container: Part | undefined, host: Part | undefined, cName: string, hName: string, containerRange: boolean): ComposePort | undefined {
    const c: PortRead = container ? this.port(container, cName, containerRange) : { kind: 'empty' };
    if (c.kind === 'problem') {
      this.problem(c.problem);
      return undefined;
    }
    if (c.kind === 'empty') {
      this.problem({ message: `${cName} is missing`, loc: port.loc });
      return undefined;
    }
    // An unset container port leaves nothing to compare; the shell may still provide it. Said, never silent.
    if (c.kind === 'unset') {
      if (this.facts && container) (this.facts.unknowns ??= []).push({ message: `${cName} ${container.raw} has no value here (no default, and the project's .env does not set it; Compose takes the shell's value, else an empty string): this port is not checked`, loc: container.loc });
      return undefined;
    }
    port.container = c.value;
    port.count = c.size;
    if (!host) return port;
    const h = this.port(host, hName, true);
    if (h.kind === 'problem') {
      this.problem(h.problem);
      return undefined;
    }
    if (h.kind === 'empty') return port;
    // An unset host port is still published: keep the variable so the mapping is not mistaken for container-only.
    port.host = h.value;
    if (h.kind === 'port' && c.range && h.size !== c.size) {
      const ports = (n: number): string => `${n} port${n === 1 ? '' : 's'}`;
      this.problem({ message: `${hName} ${describe(host)} covers ${ports(h.size)} but ${cName} ${describe(container as Part)} covers ${ports(c.size)}`, loc: port.loc });
      return undefined;
    }
    if (h.kind === 'port' && !c.range && h.range) port.count = 1;
    return port;
  }

  /** `{target, published, host_ip, protocol}`. */
  longPort(node: Node): ComposePort | undefined {
    const entryLoc = this.blockLoc(node);
    const port: ComposePort = { container: { raw: '', loc: entryLoc, literal: false }, protocol: 'TCP', count: 1, loc: entryLoc };
    const whole = (n: Node | undefined): Part | undefined => {
      const t = this.tracked(n);
      return t ? part(this.ix, t, 0, t.text.length) : undefined;
    };
    const targetNode = this.lookup(node, 'target');
    if (!this.has(node, 'target') || targetNode === undefined) {
      this.problem({ message: 'port mapping has no target (the container port)', loc: entryLoc });
      return undefined;
    }
    const target = whole(targetNode);
    if (!target) {
      this.problem({ message: 'target must be a port number', loc: this.blockLoc(targetNode) });
      return undefined;
    }
    const protoNode = this.lookup(node, 'protocol');
    if (protoNode !== undefined) {
      const pp = whole(protoNode);
      const proto = pp ? readProtocol(pp) : { message: 'protocol must be tcp, udp or sctp', loc: this.blockLoc(protoNode) };
      if (typeof proto !== 'string') {
        this.problem(proto);
        return undefined;
      }
      port.protocol = proto;
    }
    const ipNode = this.lookup(node, 'host_ip');
    const ipPart = whole(ipNode);
    if (ipPart) {
      const hostIp = readHostIp(ipPart);
      if (typeof hostIp === 'object') {
        this.problem(hostIp);
        return undefined;
      }
      if (hostIp !== undefined) port.hostIp = hostIp;
    }
    return this.sides(port, target, whole(this.lookup(node, 'published')), 'target', 'published', false);
  }

  expose(svc: ComposeService, node: Node): void {
    const t = isScalar(node) ? this.tracked(node) : undefined;
    if (!t) {
      this.problem({ message: 'an expose entry must be a port like "3000" or "3000/udp"', loc: this.blockLoc(node) });
      return;
    }
    let protocol: Protocol = 'TCP';
    let end = t.text.length;
    const slash = t.text.lastIndexOf('/');
    if (slash >= 0) {
      const proto = readProtocol(part(this.ix, t, slash + 1, t.text.length));
      if (typeof proto !== 'string') {
        this.problem(proto);
        return;
      }
      protocol = proto;
      end = slash;
    }
    const r = this.port(part(this.ix, t, 0, end), 'exposed port', true);
    if (r.kind === 'problem') this.problem(r.problem);
    else if (r.kind === 'empty') this.problem({ message: 'exposed port is missing', loc: t.loc });
    else if (r.kind === 'port') svc.expose.push({ ...r.value, protocol });
  }

  environment(svc: ComposeService, node: Node | undefined): void {
    const add = (name: string, nameLoc: Loc, value: Part): void => {
      if (value.unset) return;
      const v: EnvVar = { name, value: value.text, nameLoc, valueLoc: value.loc, literal: false };
      if (/^\d+$/.test(value.text) && validPort(Number(value.text))) {
        v.port = Number(value.text);
        v.literal = value.literal;
        const at = this.located(value, v.port);
        if (at) {
          v.valueLoc = at.loc;
          v.literal = at.literal;
        }
      }
      svc.environment.push(v);
    };
    if (isMap(node)) {
      for (const { key, value } of this.entries(node)) {
        // `PORT:` with no value passes the shell's variable through: its value is unknown here.
        const t = this.tracked(value);
        if (t) add(String(key.value), scalarText(this.ix, key).loc, part(this.ix, t, 0, t.text.length));
      }
      return;
    }
    for (const item of this.list(node)) {
      const t = this.tracked(item);
      if (!t) continue;
      const eq = t.text.indexOf('=');
      if (eq <= 0) continue;
      const name = part(this.ix, t, 0, eq);
      if (name.unset) continue;
      add(name.text, name.loc, part(this.ix, t, eq + 1, t.text.length));
    }
  }

  envFiles(svc: ComposeService, node: Node | undefined): void {
    const one = (n: Node | undefined): void => {
      const p = isMap(n) ? this.spell(this.lookup(n, 'path')) : this.spell(n);
      if (p) svc.envFiles.push(p.value);
    };
    if (isSeq(node)) for (const item of this.list(node)) one(item);
    else one(node);
  }

  /** The words of a command: a string is split like a shell line, a list gives one word per item. */
  words(node: Node | undefined): Word[] | undefined {
    if (isScalar(node)) {
      const st = this.spell(node);
      return st ? wordsOfShell(this.ix, st.value, st.at, st.loc).map(unescapeWord) : undefined;
    }
    if (!isSeq(node)) return undefined;
    const out: Word[] = [];
    for (const item of this.list(node)) {
      const st = this.spell(item);
      if (st) out.push(unescapeWord({ text: st.value, at: st.at, loc: st.loc }));
    }
    return out;
  }

  command(node: Node | undefined, env: (n: string) => string | undefined): CommandInfo | undefined {
    const words = this.words(node);
    return words ? parseCommand(this.ix, words, env) : undefined;
  }

  healthcheck(node: Node | undefined, env: (n: string) => string | undefined): ProbeFact[] {
    if (!isMap(node)) return [];
    const disable = this.lookup(node, 'disable');
    if (isScalar(disable) && disable.value === true) return [];
    const test = this.lookup(node, 'test');
    let words: Word[] = [];
    if (isScalar(test)) words = this.words(test) ?? [];
    else if (isSeq(test)) {
      const list = this.list(test);
      const head = this.spell(list[0])?.value.toUpperCase();
      if (head === 'NONE') return [];
      if (head === 'CMD-SHELL') for (const item of list.slice(1)) words.push(...(this.words(item) ?? []));
      else {
        const rest = head === 'CMD' ? list.slice(1) : list;
        for (const item of rest) {
          const st = this.spell(item);
          if (st) words.push(unescapeWord({ text: st.value, at: st.at, loc: st.loc }));
        }
      }
    }
    if (words.length === 0) return [];
    return healthcheckPorts(this.ix, words, env).map(({ port, host }) => {
      const probe: ProbeFact = { kind: 'healthcheck', type: 'command', port };
      if (host !== undefined && host !== '') probe.host = host;
      return probe;
    });
  }
}

/** `$$` is Compose's escape for a `$` the container's shell sees; keep offsets pointing at the source. */
function unescapeWord(w: Word): Word {
  if (!w.text.includes('$$')) return w;
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < w.text.length; i++) {
    map.push(i);
    text += w.text[i];
    if (w.text[i] === '$' && w.text[i + 1] === '$') i++;
  }
  const at = w.at;
  const last = w.text.length - 1;
  return { text, at: at ? (k) => (k < map.length ? at(map[k]) : at(last) + 1) : undefined, loc: w.loc };
}
