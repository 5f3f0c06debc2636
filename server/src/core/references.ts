// Cross-service references: URLs and host:port values in configuration that name another service of the workspace.
import { compareEnvs } from './environments';
import type { EnvView, Model, ServiceModel } from './model-types';
import { callingCommands, saysWhere } from './parts';
import type { HostAsk, Hosts, HostTarget } from './join';
import { JOINS } from './formats/registry';
import { effectiveVars, servedPorts } from './query';
import type { EnvVar, Loc } from './types';

const DEFAULT_PORTS: Record<string, number> = {
  http: 80, https: 443, ws: 80, wss: 443, grpc: 80, grpcs: 443, redis: 6379, rediss: 6379, postgres: 5432, postgresql: 5432,
  mysql: 3306, mariadb: 3306, mongodb: 27017, amqp: 5672, amqps: 5671, nats: 4222, kafka: 9092, memcached: 11211, mqtt: 1883,
};

/** What the reference names and how the target answers it (HostTarget: the service it reaches, the ports it serves to this caller). */
export interface Reference extends HostTarget {
  /** The caller: the service whose configuration holds the value. */
  from: string;
  variable: string;
  /** The value with any password masked, for messages and reports. */
  shown: string;
  host: string;
  /** The port written, or the scheme's default when none is written. */
  port: number;
  /** The port token; when the port is implied by the scheme, the host token (a fix then inserts `:port`). */
  loc: Loc;
  explicitPort: boolean;
  /** The token's text in the source is exactly what `loc` spans, so a fix may replace it. */
  exact: boolean;
  env: string;
}

interface Parsed {
  host: string;
  hostStart: number;
  port?: number;
  portStart?: number;
  portText?: string;
  scheme?: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * `scheme://user:pw@host:port/path`, `scheme://user:pw@a:1,b:2/path` (MongoDB's host list) or
 * `host:port`, in each comma-separated part of a value.
 */
export function parseRefs(value: string): Parsed[] {
  const out: Parsed[] = [];
  let pos = 0;
  while (pos < value.length) {
    let base = pos;
    while (base < value.length && /\s/.test(value[base])) base++;
    const scheme = SCHEME.exec(value.slice(base));
    if (scheme) {
      // As WHATWG URL parsing does: the authority ends at / ? # and the userinfo at its last '@', so a
      // password with an unescaped ':', '@' or ',' does not hide the host (or leak into it).
      const aStart = base + scheme[0].length;
      const aEnd = authorityEnd(value, aStart);
      const hosts = aStart + value.slice(aStart, aEnd).lastIndexOf('@') + 1;
      let seg = hosts;
      for (const text of value.slice(hosts, aEnd).split(',')) {
        const m = /^(\[[^\]]+\]|[^:/?#\s@]+)(?::(\d+))?$/.exec(text);
        if (m) {
          const r: Parsed = { host: m[1], hostStart: seg, scheme: scheme[1].toLowerCase() };
          if (m[2]) Object.assign(r, { port: Number(m[2]), portText: m[2], portStart: seg + m[1].length + 1 });
          out.push(r);
        }
        seg += text.length + 1;
      }
      const next = value.indexOf(',', aEnd);
      pos = next < 0 ? value.length : next + 1;
      continue;
    }
    const end = value.indexOf(',', pos) < 0 ? value.length : value.indexOf(',', pos);
    const p = value.slice(base, end).trimEnd();
    pos = end + 1;
    const hp = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*):(\d{1,5})$/i.exec(p);
    if (hp) out.push({ host: hp[1], hostStart: base, port: Number(hp[5]), portText: hp[5], portStart: base + hp[1].length + 1 });
  }
  return out;
}

/** Where the authority that starts at `from` ends: at / ? # or a space, or before `,scheme://`. */
function authorityEnd(value: string, from: number): number {
  let i = from;
  while (i < value.length && !/[/?#\s]/.test(value[i]) && !(value[i] === ',' && SCHEME.test(value.slice(i + 1).trimStart()))) i++;
  return i;
}

/** Masks the password of `scheme://user:password@host` (everything up to the authority's last '@'). */
export function maskSecret(value: string): string {
  let out = '';
  let pos = 0;
  const re = /[a-z][a-z0-9+.-]*:\/\//gi;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const aStart = m.index + m[0].length;
    const aEnd = authorityEnd(value, aStart);
    const at = value.lastIndexOf('@', aEnd - 1);
    const colon = value.indexOf(':', aStart);
    if (at >= aStart && colon >= 0 && colon < at) {
      out += `${value.slice(pos, colon + 1)}****`;
      pos = at;
    }
    re.lastIndex = aEnd;
  }
  return out + value.slice(pos);
}

const hostsCache = new WeakMap<Model, Hosts[]>();

/** Each format's host names of a model, built once per model. */
function targets(model: Model): Hosts[] {
  let t = hostsCache.get(model);
  if (!t) hostsCache.set(model, (t = JOINS.flatMap((x) => (x.hosts ? [x.hosts(model, ASK)] : []))));
  return t;
}

const ASK: HostAsk = { servedPorts, saysWhere };

/**
 * The host indexes of a merged model (incremental.ts): the whole's, with the part's entries over them,
 * instead of a walk over every service again. The whole model is consumed by the merge (updateState
 * starts from a state it replaces), so its indexes are updated in place: an edit costs what it touches.
 */
export function mergeTargets(whole: Model, part: Model, merged: Model): void {
  const p = targets(part);
  const t = targets(whole).map((h, i) => h.merge(p[i]));
  hostsCache.delete(whole);
  hostsCache.set(merged, t);
}

/** Every reference of every service in every environment (one entry per token and environment). */
/** `only`: the callers to look at (all services when absent). */
export function findReferences(model: Model, only?: Set<string>): Reference[] {
  const out: Reference[] = [];
  const t = targets(model);
  for (const s of model.services.values()) {
    if (only && !only.has(s.name)) continue;
    for (const v of s.views.values()) {
      const values = [...effectiveVars(v).values(), ...callingCommands(v).flatMap((c) => c.addresses ?? [])];
      for (const e of values) {
        if (!/[:]/.test(e.value)) continue;
        for (const r of parseRefs(e.value)) {
          const ref = resolve(t, s, v, e, r);
          if (ref) out.push(ref);
        }
      }
    }
  }
  return out;
}

function resolve(t: Hosts[], s: ServiceModel, v: EnvView, e: EnvVar, r: Parsed): Reference | undefined {
  const port = r.port ?? (r.scheme && Object.hasOwn(DEFAULT_PORTS, r.scheme) ? DEFAULT_PORTS[r.scheme] : undefined);
  if (port === undefined) return undefined;
  // A fix may edit the token only where the value is spelled out on one line exactly as read.
  const exact = e.valueLoc.end - e.valueLoc.start === e.value.length && e.valueLoc.line === e.valueLoc.endLine;
  const token = (start: number, len: number): Loc =>
    exact ? { ...e.valueLoc, start: e.valueLoc.start + start, end: e.valueLoc.start + start + len, col: e.valueLoc.col + start, endCol: e.valueLoc.col + start + len, endLine: e.valueLoc.line } : e.valueLoc;
  const loc = r.portStart !== undefined ? token(r.portStart, (r.portText ?? '').length) : token(r.hostStart, r.host.length);
  const base = { from: s.name, variable: e.name, shown: maskSecret(e.value), host: r.host, port, loc, explicitPort: r.port !== undefined, exact, env: v.env };
  for (const h of t) {
    const hit = h.resolve(v, r.host, port);
    if (hit === 'self') return undefined;
    if (hit) return { ...base, ...hit };
  }
  return undefined;
}

/** Callers of each service: who references it, on which port, in which environments. */
export function callers(refs: Reference[]): Map<string, { from: string; port: number; envs: string[] }[]> {
  const out = new Map<string, { from: string; port: number; envs: string[] }[]>();
  for (const r of refs) {
    const list = out.get(r.target) ?? [];
    const e = list.find((x) => x.from === r.from && x.port === r.port);
    if (e) {
      if (!e.envs.includes(r.env)) e.envs.push(r.env);
    } else list.push({ from: r.from, port: r.port, envs: [r.env] });
    out.set(r.target, list);
  }
  for (const list of out.values()) for (const c of list) c.envs.sort(compareEnvs);
  return out;
}

