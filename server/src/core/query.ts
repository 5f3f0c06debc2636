// Questions the rules, hovers and fixes ask of the model: effective variables, served ports, align edits.
import { compareEnvs, DEFAULT_ENV } from './environments';
import type { EnvView, Model, ServiceModel } from './model-types';
import { listening, portParts } from './parts';
import { archiveOf } from './paths';
import type { Loc, Related, TextEdit } from './types';

export { effectiveCommands, effectiveVars, isSelfHost, listening } from './parts';
export { BIND_VARS, isOwnPortVar, isServedPortVar } from './port-names';

/** `deploy/staging/api.yaml:21` (1-based line) for messages. */
export function where(loc: Loc): string {
  return `${loc.file}:${loc.line + 1}`;
}

export function list(values: (string | number)[]): string {
  const v = values.map(String);
  return v.length <= 1 ? (v[0] ?? '') : `${v.slice(0, -1).join(', ')} and ${v[v.length - 1]}`;
}

export function unionRelated(lists: Related[][]): Related[] {
  const seen = new Set<string>();
  const out: Related[] = [];
  for (const r of lists.flat()) {
    const k = `${r.loc.file}|${r.loc.start}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(r);
    }
  }
  return out;
}

/** `8081 in staging and 4500 in production`: values grouped by the environments that share them. */
export function byEnvs(perEnv: { env: string; value: string }[]): string {
  const groups = new Map<string, string[]>();
  for (const { env, value } of perEnv) groups.set(value, [...(groups.get(value) ?? []), env]);
  return [...groups].map(([value, envs]) => `${value}${inEnvs(envs)}`).join(' and ');
}

/** ` in staging and production` for messages (a rule's `{{in}}`); nothing for the implicit `default` (it reads like a namespace). */
export function inEnvs(envs: string[]): string {
  const named = envs.filter((e) => e !== DEFAULT_ENV);
  return named.length ? ` in ${list(named)}` : '';
}

/** Every port a service's process is known to serve in a view: its declared ports and where it listens (parts.ts listening). */
export function servedPorts(v: EnvView): Set<number> {
  const s = new Set<number>();
  for (const d of v.declared) s.add(d.port);
  for (const l of listening(v)) s.add(l.port);
  return s;
}

/** The reference ports of a service (the contract's, else the reference environment's), and where from. */
export function referencePorts(s: ServiceModel): { ports: number[]; env?: string; locs: Loc[]; label: string } | undefined {
  if (s.contract) return { ports: s.contract.ports, locs: [s.contract.loc], label: 'the port contract' };
  if (!s.reference) return undefined;
  const v = s.views.get(s.reference);
  if (!v || v.declared.length === 0) return undefined;
  return { ports: [...new Set(v.declared.map((d) => d.port))], env: s.reference, locs: v.declared.map((d) => d.loc), label: s.reference };
}

/**
 * The edits that move a service from port `from` to `to` in one environment: every literal token in
 * that environment's own files that carries the old internal port (declarations, numeric targetPorts
 * and probe ports, PORT variables, EXPOSE, listening flags, self health checks). Files shared with
 * other environments are left alone: changing them would move those environments too.
 */
export function alignEdits(model: Model, v: EnvView, from: number, to: number): TextEdit[] {
  const own = (loc: Loc): boolean => model.envOfFile(loc.file) === v.env;
  const locs = portParts(v).filter((p) => p.aligns && p.literal && p.port === from && own(p.loc) && archiveOf(p.loc.file) === undefined).map((p) => p.loc);
  const seen = new Set<string>();
  const edits: TextEdit[] = [];
  for (const loc of locs) {
    const k = `${loc.file}|${loc.start}`;
    if (seen.has(k)) continue;
    seen.add(k);
    edits.push({ loc, newText: String(to) });
  }
  return edits;
}

/**
 * Which service views (`service|env`) a token reaches and what each flagged view wants it to be. A
 * token shared with a view where it is right (a base Dockerfile's ENV or CMD, an image two compose
 * services build, an unmarked Service) must not be "fixed" for the one where it is wrong.
 */
export class TokenUse {
  private readonly used = new Map<string, Set<string>>();
  private readonly flagged = new Map<string, Set<string>>();
  private readonly wanted = new Map<string, Set<string>>();
  private static key(loc: Loc): string {
    return `${loc.file}|${loc.start}`;
  }
  seen(loc: Loc, who: string): void {
    const k = TokenUse.key(loc);
    this.used.set(k, (this.used.get(k) ?? new Set()).add(who));
  }
  wants(loc: Loc, who: string, values: (number | string)[]): void {
    const k = TokenUse.key(loc);
    this.flagged.set(k, (this.flagged.get(k) ?? new Set()).add(who));
    this.wanted.set(k, (this.wanted.get(k) ?? new Set()).add(values.join(',')));
  }
  /** Every view that uses the token is flagged, and all want the same value. */
  safe(loc: Loc): boolean {
    const k = TokenUse.key(loc);
    return (this.used.get(k)?.size ?? 0) === (this.flagged.get(k)?.size ?? -1) && this.wanted.get(k)?.size === 1;
  }
}

/** Groups findings that concern one token in several environments. */
export class PerToken<T> {
  private readonly map = new Map<string, { loc: Loc; byEnv: Map<string, T> }>();
  add(loc: Loc, env: string, data: T): void {
    const k = `${loc.file}|${loc.start}|${loc.end}`;
    const e = this.map.get(k);
    if (e) {
      if (!e.byEnv.has(env)) e.byEnv.set(env, data);
    } else this.map.set(k, { loc, byEnv: new Map([[env, data]]) });
  }
  /** Environments in table order; `data` is the first environment's, `perEnv` every environment's. */
  entries(): { loc: Loc; envs: string[]; data: T; perEnv: { env: string; data: T }[] }[] {
    return [...this.map.values()].map((e) => {
      const envs = [...e.byEnv.keys()].sort(compareEnvs);
      return { loc: e.loc, envs, data: e.byEnv.get(envs[0]) as T, perEnv: envs.map((env) => ({ env, data: e.byEnv.get(env) as T })) };
    });
  }
}
