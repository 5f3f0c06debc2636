// port-parity: a service's internal port differs between environments.
import type { EnvView, Model, PortDecl, ServiceModel } from '../model-types';
import { portSet } from '../model-types';
import { apartStacks, portParts } from '../parts';
import { alignEdits, list, PerToken, where } from '../query';
import type { Fix, Loc, RawFinding, Related } from '../types';
import { defineRule } from './types';

/**
 * Pairs the ports a view has that the reference lacks with the reference ports it lacks: by port
 * name first, then in order (unless `byOrder` is false). A view that only adds or only drops a port
 * (compose publishing a subset) has moved nothing and is not drift.
 */
export function movedPorts(mine: Pick<PortDecl, 'port' | 'name'>[], ref: number[], refDecls: Pick<PortDecl, 'port' | 'name'>[], byOrder = true): [number, number][] {
  const have = [...new Set(mine.map((d) => d.port))];
  const extra = have.filter((p) => !ref.includes(p));
  const missing = ref.filter((p) => !have.includes(p));
  if (extra.length === 0 || missing.length === 0) return [];
  const pairs: [number, number][] = [];
  const left = [...missing];
  const unpaired: number[] = [];
  for (const p of extra) {
    const name = mine.find((d) => d.port === p && d.name)?.name;
    const byName = name ? refDecls.find((d) => d.name === name && left.includes(d.port)) : undefined;
    if (byName) {
      pairs.push([p, byName.port]);
      left.splice(left.indexOf(byName.port), 1);
    } else unpaired.push(p);
  }
  if (byOrder) unpaired.forEach((p, i) => {
    if (i < left.length) pairs.push([p, left[i]]);
  });
  return pairs;
}

/** The declared ports a view's own health checks aim at (its main container's probes, a self health check). */
function probedPorts(v: EnvView): number[] {
  const declared = portSet(v.declared);
  return [...new Set(portParts(v).flatMap((p) => (p.role === 'probed' && p.aligns && p.port !== undefined && declared.includes(p.port) ? [p.port] : [])))];
}

/** The tokens of a view's own health checks aimed at `port`. */
function probeLocs(v: EnvView, port: number): Loc[] {
  return portParts(v).filter((p) => p.role === 'probed' && p.aligns && p.port === port).map((p) => p.loc);
}

/**
 * What port-parity reports of a view against its reference: moved ports (`port`: it declares `from`
 * where the reference declares `to`), or, where one declares ports the other does not but none moved,
 * a moved health check (`probe`): its checks aim at `from`, the reference's at `to`, and one of the two
 * declares no such port. A port only one side declares and nothing there checks (a debug port in
 * local, compose publishing a subset, a metrics port) is not drift. The matrix asks the same question.
 */
export interface Drift {
  from: number;
  to: number;
  kind: 'port' | 'probe';
}

export function driftOf(model: Model, s: ServiceModel, v: EnvView): Drift[] {
  const refView = s.reference !== undefined ? s.views.get(s.reference) : undefined;
  if (s.contract || !refView || refView.declared.length === 0) return [];
  if (v === refView || v.declared.length === 0 || v.foreign || apartStacks(model, v, refView)) return [];
  const ref = portSet(refView.declared);
  const mine = portSet(v.declared);
  // Where both declare a port, the main port stayed: what only one side has pairs by name only (a local
  // debugger's 9229 is not production's metrics 9090 moved).
  const moved = movedPorts(v.declared, ref, refView.declared, !mine.some((p) => ref.includes(p)));
  if (moved.length > 0) return moved.map(([from, to]) => ({ from, to, kind: 'port' }));
  if (mine.length === ref.length && mine.every((p) => ref.includes(p))) return [];
  const probed = probedPorts(refView);
  // A probe pair counts where the port one side checks is one the other side does not declare at all.
  return movedPorts(probedPorts(v).map((port) => ({ port })), probed, [])
    .filter(([from, to]) => !mine.includes(to) || !ref.includes(from))
    .map(([from, to]) => ({ from, to, kind: 'probe' }));
}

/** A view's service as messages name it: a variant with the file that defines it. */
function named(service: string, v: EnvView): string {
  return v.variant === undefined ? service : `${service} (${v.variant})`;
}

type Found = { service: string; drift: Drift; view: EnvView; ref: string };

/** A moved port, with the align fix where the finding concerns one environment and the fix edits its token. */
function portFinding(model: Model, s: ServiceModel, loc: Loc, envs: string[], data: Found): RawFinding {
  const { from, to } = data.drift;
  const agreeing = [...s.views.values()].filter((x) => !x.foreign && x.declared.some((d) => d.port === to));
  const refDecl = agreeing.find((x) => x.env === data.ref)?.declared.find((d) => d.port === to);
  const related: Related[] = agreeing.flatMap((x) => x.declared.filter((d) => d.port === to).map((d) => ({ loc: d.loc, message: `${named(s.name, x)} listens on ${to} in ${x.env}` })));
  const envsTo = [...new Set(agreeing.map((x) => x.env))];
  // A variant (another file that defines the service) is named by its file.
  const msg = { service: named(s.name, data.view), from, envs: list(envs), to, envsTo: list(envsTo), at: refDecl ? ` (${where(refDecl.loc)})` : '' };
  let fix: Fix | undefined;
  if (envs.length === 1) {
    const edits = alignEdits(model, data.view, from, to);
    if (edits.some((e) => e.loc.file === loc.file && e.loc.start === loc.start)) fix = { title: `Align ${s.name} in ${envs[0]} to ${to} (as in ${list(envsTo)})`, edits };
  }
  return { rule: 'port-parity', messageId: 'portDrifts', data: msg, loc, service: s.name, environment: envs.join(','), related, fix };
}

/**
 * A moved health check. No fix: aligning would need a port added, not a token rewritten (and moving
 * the view's own port would drop one the reference keeps).
 */
function probeFinding(s: ServiceModel, loc: Loc, envs: string[], data: Found): RawFinding {
  const { from, to } = data.drift;
  const agreeing = [...s.views.values()].filter((x) => !x.foreign && probedPorts(x).includes(to));
  const refView = s.views.get(data.ref);
  const refLoc = refView ? probeLocs(refView, to)[0] : undefined;
  const related: Related[] = agreeing.flatMap((x) => probeLocs(x, to).map((l) => ({ loc: l, message: `${named(s.name, x)} is probed on ${to} in ${x.env}` })));
  // Which side lacks a port the other checks: the view the port the reference checks, or the reference the view's.
  const lacks = portSet(data.view.declared).includes(to) ? { lacking: data.ref, port: from } : { lacking: list(envs), port: to };
  const msg = { service: named(s.name, data.view), from, envs: list(envs), to, envsTo: list([...new Set(agreeing.map((x) => x.env))]), at: refLoc ? ` (${where(refLoc)})` : '', ...lacks };
  return { rule: 'port-parity', messageId: 'probeMoved', data: msg, loc, service: s.name, environment: envs.join(','), related };
}

export const rule = defineRule({
  meta: {
    id: 'port-parity',
    description: "A service's internal port differs between environments.",
    defaultSeverity: 'warning',
    fixable: true,
    movesPorts: true,
    alignable: true,
    messages: {
      portDrifts: '{{service}} listens on {{from}} in {{envs}} but {{to}} in {{envsTo}}{{at}}',
      probeMoved: '{{service}} is probed on {{from}} in {{envs}} but on {{to}} in {{envsTo}}{{at}}, and {{lacking}} declares no port {{port}}',
    },
  },
  check(model) {
    const out = new PerToken<Found>();
    for (const s of model.services.values()) {
      if (s.reference === undefined) continue;
      for (const v of s.views.values()) {
        for (const drift of driftOf(model, s, v)) {
          // A moved port at each declaration of the old one; a moved check at each of the view's checks of the old one.
          const locs = drift.kind === 'port' ? v.declared.filter((x) => x.port === drift.from).map((d) => d.loc) : probeLocs(v, drift.from);
          for (const loc of locs) out.add(loc, v.env, { service: s.name, drift, view: v, ref: s.reference });
        }
      }
    }
    const findings: RawFinding[] = [];
    for (const { loc, envs, data } of out.entries()) {
      const s = model.services.get(data.service);
      if (s) findings.push(data.drift.kind === 'port' ? portFinding(model, s, loc, envs, data) : probeFinding(s, loc, envs, data));
    }
    return findings;
  },
});
