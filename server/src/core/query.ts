// Questions the rules, hovers and fixes ask of the model: effective variables, served ports, align edits.
import { compareEnvs, DEFAULT_ENV } from './environments';
import { orderPods, selectFrom } from './model';
import type { EnvView, Model, ServiceModel, ServiceUnit, WorkloadUnit } from './model';
import type { CommandInfo, EnvVar, K8sContainer, K8sNetworkPolicy, Loc, Related, TextEdit } from './types';

/** The pods a NetworkPolicy's podSelector selects, in the stable owner order. */
export function policyPods(model: Model, env: string, policy: K8sNetworkPolicy): WorkloadUnit[] {
  if (Object.keys(policy.podSelector).length === 0) return orderPods((model.workloadsByEnv.get(env) ?? []).filter((w) => w.workload.namespace === policy.namespace));
  return selectFrom(model.podIndex(), env, policy.namespace, policy.podSelector);
}

/** Services by `namespace/name`; the first of a name wins, as a lookup in file order would. */
export function serviceIndex(units: ServiceUnit[]): Map<string, ServiceUnit> {
  const out = new Map<string, ServiceUnit>();
  for (const u of units) {
    const k = `${u.svc.namespace}/${u.svc.name}`;
    if (!out.has(k)) out.set(k, u);
  }
  return out;
}

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

/** ` in staging and production` for messages; nothing for the implicit `default` (it reads like a namespace). */
export function inEnvs(envs: string[]): string {
  const named = envs.filter((e) => e !== DEFAULT_ENV);
  return named.length ? ` in ${list(named)}` : '';
}

/** Puts ` in staging and production` where a message has `{in}` (or at its end). */
export function placeEnvs(message: string, envs: string[]): string {
  const text = inEnvs(envs);
  return message.includes('{in}') ? message.replace('{in}', text) : `${message}${text}`;
}

const OWN_PORT_VARS = new Set(['PORT', 'HTTP_PORT', 'SERVER_PORT', 'APP_PORT', 'LISTEN_PORT', 'WEB_PORT', 'SERVICE_PORT', 'ASPNETCORE_HTTP_PORTS']);

/** Variables that set the service's own listening port (`REDIS_PORT` names another service's). */
export function isOwnPortVar(name: string, service: string): boolean {
  if (OWN_PORT_VARS.has(name)) return true;
  return name === `${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PORT`;
}

/**
 * Variables that set a port the service itself listens on, its main one or a second listener of its
 * own (Spring's MANAGEMENT_SERVER_PORT, METRICS_PORT, GRPC_PORT): what the service serves. Another
 * service's port (REDIS_PORT, DB_PORT) is not.
 */
export function isServedPortVar(name: string, service: string): boolean {
  return isOwnPortVar(name, service) || /^(MANAGEMENT(_SERVER)?|METRICS|ADMIN|HEALTH(CHECK)?|PROBE|STATUS|MONITORING|PROMETHEUS|GRPC|HTTPS|DEBUG|INTERNAL|PUBLIC)_(SERVER_)?PORT$/.test(name);
}

/** Variables whose value is the host a server binds. */
export const BIND_VARS = new Set(['HOST', 'HOSTNAME', 'BIND', 'BIND_ADDRESS', 'BIND_ADDR', 'LISTEN_ADDRESS', 'LISTEN_ADDR', 'LISTEN_HOST', 'SERVER_HOST', 'SERVER_ADDRESS', 'APP_HOST', 'UVICORN_HOST', 'FLASK_RUN_HOST']);

/**
 * The variables the process sees, by precedence: the orchestrator's own `environment`/`env`, then
 * ConfigMaps (`envFrom` below `configMapKeyRef`) or compose `env_file`s, then the image's ENV, then
 * the service folder's .env (read by the app, lowest).
 */
export function effectiveVars(v: EnvView): Map<string, EnvVar> {
  // Views do not change once built, and several rules ask: compute once per view.
  const cached = varsCache.get(v);
  if (cached) return cached;
  const out = new Map<string, EnvVar>();
  varsCache.set(v, out);
  const layers: EnvVar[][] = [
    v.dotenvs.flatMap((d) => d.vars),
    v.image?.env ?? [],
    v.envFileVars,
    v.compose?.service.environment ?? [],
    ...v.workloads.flatMap((w) => [w.configEnv.get(v.env) ?? [], w.main?.env ?? []]),
  ];
  for (const layer of layers) for (const e of layer) out.set(e.name, e);
  return out;
}

const varsCache = new WeakMap<EnvView, Map<string, EnvVar>>();

/** The start command that runs: the orchestrator's where it sets one, else the image's. */
export function effectiveCommands(v: EnvView): CommandInfo[] {
  const out: CommandInfo[] = [];
  let overridden = false;
  if (v.compose) {
    for (const c of [v.compose.service.entrypoint, v.compose.service.command]) if (c) out.push(c);
    overridden = out.length > 0;
  }
  for (const w of v.workloads) {
    if (w.main && (w.main.command.ports.length || w.main.command.binds.length)) {
      out.push(w.main.command);
      overridden = true;
    }
  }
  if (!overridden && v.image) out.push(v.image.command);
  return out;
}

/**
 * Every port a container is known to listen on; empty when nothing says (then nothing is "wrong").
 * `tcpOnly`: leave out UDP and SCTP container ports (probes connect over TCP).
 */
export function servedBy(v: EnvView | undefined, c: K8sContainer, isMain: boolean, tcpOnly = false): Set<number> {
  const s = new Set<number>();
  const own = (name: string): boolean => isServedPortVar(name, v?.service ?? c.name);
  for (const p of c.ports) if (p.containerPort.port !== undefined && (!tcpOnly || p.protocol === 'TCP')) s.add(p.containerPort.port);
  for (const p of c.command.ports) if (p.port !== undefined) s.add(p.port);
  for (const e of c.env) if (e.port !== undefined && own(e.name)) s.add(e.port);
  if (isMain && v?.image) {
    // EXPOSE is documentation: it counts only where the container declares nothing itself.
    if (c.ports.length === 0) for (const e of v.image.exposes) if (e.port !== undefined && (!tcpOnly || e.protocol === 'TCP')) for (let p = e.port; p <= (e.rangeEnd ?? e.port); p++) s.add(p);
    for (const p of v.image.command.ports) if (p.port !== undefined) s.add(p.port);
    for (const e of v.image.env) if (e.port !== undefined && own(e.name)) s.add(e.port);
  }
  return s;
}

/** Every port a compose service is known to listen on inside its container. */
export function servedByCompose(v: EnvView): Set<number> {
  const s = new Set<number>();
  for (const d of v.declared) s.add(d.port);
  for (const p of v.compose?.service.ports ?? []) if (p.container.port !== undefined) for (let i = 0; i < p.count; i++) s.add(p.container.port + i);
  for (const c of effectiveCommands(v)) for (const p of c.ports) if (p.port !== undefined) s.add(p.port);
  for (const e of effectiveVars(v).values()) if (e.port !== undefined && isServedPortVar(e.name, v.service)) s.add(e.port);
  if (s.size === 0) for (const e of v.image?.exposes ?? []) if (e.port !== undefined) s.add(e.port);
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
  const locs: Loc[] = [];
  const take = (loc: Loc, literal: boolean, port: number | undefined): void => {
    if (literal && port === from && own(loc)) locs.push(loc);
  };
  for (const d of v.declared) take(d.loc, d.literal, d.port);
  for (const w of v.workloads) {
    const c = w.main;
    if (!c) continue;
    for (const p of c.probes) take(p.port.loc, p.port.literal, p.port.port);
    for (const p of c.command.ports) if (p.primary) take(p.loc, p.literal, p.port);
    for (const e of c.env) if (isOwnPortVar(e.name, v.service)) take(e.valueLoc, e.literal, e.port);
  }
  for (const s of v.k8sServices) for (const p of s.svc.ports) if (p.targetPort) take(p.targetPort.loc, p.targetPort.literal, p.targetPort.port);
  if (v.compose) {
    const s = v.compose.service;
    for (const e of s.environment) if (isOwnPortVar(e.name, v.service)) take(e.valueLoc, e.literal, e.port);
    for (const c of [s.command, s.entrypoint]) for (const p of c?.ports ?? []) if (p.primary) take(p.loc, p.literal, p.port);
    for (const h of s.healthchecks) if (isSelfHost(h.host, v)) take(h.port.loc, h.port.literal, h.port.port);
  }
  for (const e of v.envFileVars) if (isOwnPortVar(e.name, v.service)) take(e.valueLoc, e.literal, e.port);
  for (const d of v.dotenvs) for (const e of d.vars) if (isOwnPortVar(e.name, v.service)) take(e.valueLoc, e.literal, e.port);
  if (v.image) {
    for (const e of v.image.exposes) take(e.loc, e.literal && e.rangeEnd === undefined, e.port);
    for (const e of v.image.env) if (isOwnPortVar(e.name, v.service)) take(e.valueLoc, e.literal, e.port);
    for (const p of v.image.command.ports) if (p.primary) take(p.loc, p.literal, p.port);
    for (const h of v.image.healthchecks) take(h.port.loc, h.port.literal, h.port.port);
  }
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

/** A health check host that means "this container": loopback, any-address, or the service's own name. */
export function isSelfHost(host: string | undefined, v: EnvView): boolean {
  if (!host) return true;
  const h = host.toLowerCase();
  if (['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]', '::'].includes(h)) return true;
  const s = v.compose?.service;
  return h === v.service || h === s?.name || h === s?.containerName?.toLowerCase() || (s?.aliases ?? []).includes(h);
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
