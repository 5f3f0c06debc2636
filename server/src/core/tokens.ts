// Every port token of the workspace with the service and role it belongs to: hovers, references, definition.
import { ROLE_TEXT } from './model';
import type { Model } from './model';
import { isOwnPortVar } from './query';
import { findReferences } from './references';
import type { Reference } from './references';
import type { Loc } from './types';

export interface PortToken {
  loc: Loc;
  service: string;
  envs: string[];
  port?: number;
  /** What the value does, in words: "container port", "host-published port, not internal". */
  role: string;
  /** The token carries the service's internal port (references list these). */
  internal: boolean;
  /** For a reference to another service (`API_URL=http://api:8080`): the service it calls. */
  target?: string;
}

/** Port tokens by file, each sorted by offset; `only`: the tokens of these services alone. */
export function portTokens(model: Model, only?: Set<string>, refs: Reference[] = findReferences(model, only)): Map<string, PortToken[]> {
  const byKey = new Map<string, PortToken>();
  const add = (loc: Loc, service: string, env: string, port: number | undefined, role: string, internal: boolean): void => {
    const k = `${loc.file}|${loc.start}|${loc.end}`;
    const t = byKey.get(k);
    if (t) {
      if (!t.envs.includes(env)) t.envs.push(env);
      return;
    }
    byKey.set(k, { loc, service, envs: [env], port, role, internal });
  };
  for (const s of model.services.values()) {
    if (only && !only.has(s.name)) continue;
    for (const v of s.views.values()) {
      const internal = new Set(v.declared.map((d) => d.port));
      for (const d of v.declared) add(d.loc, s.name, v.env, d.port, ROLE_TEXT[d.role] === 'containerPort' ? 'container port' : ROLE_TEXT[d.role], true);
      for (const p of v.compose?.service.ports ?? []) if (p.host) add(p.host.loc, s.name, v.env, p.host.port, 'host-published port, not internal', false);
      for (const w of v.workloads) {
        for (const c of w.workload.containers) {
          const side = c === w.main ? '' : ` of sidecar ${c.name}`;
          if (c !== w.main) for (const p of c.ports) add(p.containerPort.loc, s.name, v.env, p.containerPort.port, `container port${side}, not the service's own`, false);
          for (const p of c.probes) add(p.port.loc, s.name, v.env, p.port.port, `${p.kind} probe port${side}${p.port.name ? ` (named ${p.port.name})` : ''}`, c === w.main && internal.has(p.port.port ?? -1));
          for (const p of c.command.ports) add(p.loc, s.name, v.env, p.port, `listening flag ${p.flag}${side}`, c === w.main && p.primary);
          for (const e of c.env) if (e.port !== undefined && isOwnPortVar(e.name, s.name)) add(e.valueLoc, s.name, v.env, e.port, `${e.name} variable`, c === w.main);
        }
      }
      for (const u of v.k8sServices) {
        for (const p of u.svc.ports) {
          const tp = p.targetPort;
          const target = tp ? (tp.name ?? String(tp.port)) : String(p.port.port);
          const resolved = tp?.name ? v.workloads.flatMap((w) => w.main?.ports ?? []).find((x) => x.name === tp.name)?.containerPort.port : (tp?.port ?? p.port.port);
          add(p.port.loc, s.name, v.env, p.port.port, `Service ${u.svc.name} port → targetPort ${target}${resolved !== undefined ? ` → container port ${resolved}` : ''} (what callers in the cluster use)`, false);
          if (tp) add(tp.loc, s.name, v.env, resolved, `Service ${u.svc.name} targetPort${tp.name ? ` ${tp.name}` : ''}${resolved !== undefined ? ` → container port ${resolved}` : ''}`, true);
        }
      }
      if (v.compose) {
        const cs = v.compose.service;
        for (const e of cs.environment) if (e.port !== undefined && isOwnPortVar(e.name, s.name)) add(e.valueLoc, s.name, v.env, e.port, `${e.name} variable`, true);
        for (const c of [cs.command, cs.entrypoint]) for (const p of c?.ports ?? []) add(p.loc, s.name, v.env, p.port, `listening flag ${p.flag}`, p.primary);
        for (const h of cs.healthchecks) add(h.port.loc, s.name, v.env, h.port.port, `healthcheck port (${h.host ?? 'localhost'})`, true);
      }
      for (const e of v.envFileVars) if (e.port !== undefined && isOwnPortVar(e.name, s.name)) add(e.valueLoc, s.name, v.env, e.port, `${e.name} variable (env_file)`, true);
      for (const d of v.dotenvs) for (const e of d.vars) if (e.port !== undefined && isOwnPortVar(e.name, s.name)) add(e.valueLoc, s.name, v.env, e.port, `${e.name} variable (.env)`, true);
      if (v.image) {
        for (const e of v.image.exposes) add(e.loc, s.name, v.env, e.port, 'Dockerfile EXPOSE', true);
        for (const e of v.image.env) if (e.port !== undefined && isOwnPortVar(e.name, s.name)) add(e.valueLoc, s.name, v.env, e.port, `${e.name} variable (Dockerfile ENV)`, true);
        for (const p of v.image.command.ports) add(p.loc, s.name, v.env, p.port, `listening flag ${p.flag}`, p.primary);
        for (const h of v.image.healthchecks) add(h.port.loc, s.name, v.env, h.port.port, 'HEALTHCHECK port', true);
      }
    }
  }
  for (const r of refs) {
    const k = `${r.loc.file}|${r.loc.start}|${r.loc.end}`;
    const t = byKey.get(k);
    if (t?.target) {
      if (!t.envs.includes(r.env)) t.envs.push(r.env);
      continue;
    }
    byKey.set(k, { loc: r.loc, service: r.from, envs: [r.env], port: r.port, role: `${r.variable} calls ${r.host}:${r.port}`, internal: false, target: r.target });
  }
  const out = new Map<string, PortToken[]>();
  for (const t of byKey.values()) {
    const list = out.get(t.loc.file);
    if (list) list.push(t);
    else out.set(t.loc.file, [t]);
  }
  for (const list of out.values()) list.sort((a, b) => a.loc.start - b.loc.start);
  return out;
}

/** The token under an offset (inclusive of its end, as editors place the cursor after a word). */
export function tokenAt(tokens: Map<string, PortToken[]>, file: string, offset: number): PortToken | undefined {
  return tokens.get(file)?.find((t) => offset >= t.loc.start && offset <= t.loc.end);
}
