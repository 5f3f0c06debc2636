// port-parity: a service's internal port differs between environments.
import type { EnvView, PortDecl } from '../model-types';
import { portSet } from '../model-types';
import { apartStacks } from '../parts';
import { alignEdits, list, PerToken, referencePorts, where } from '../query';
import type { Fix, RawFinding, Related } from '../types';
import { defineRule } from './types';

/**
 * Pairs the ports a view has that the reference lacks with the reference ports it lacks: by port
 * name first, then in order. A view that only adds or only drops a port (compose publishing a
 * subset) has moved nothing and is not drift.
 */
export function movedPorts(mine: PortDecl[], ref: number[], refDecls: PortDecl[]): [number, number][] {
  const have = portSet(mine);
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
  unpaired.forEach((p, i) => {
    if (i < left.length) pairs.push([p, left[i]]);
  });
  return pairs;
}

/** A view's service as messages name it: a variant with the file that defines it. */
function named(service: string, v: EnvView): string {
  return v.variant === undefined ? service : `${service} (${v.variant})`;
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
    },
  },
  check(model) {
    const out = new PerToken<{ service: string; from: number; to: number; view: EnvView; ref: string }>();
    const related = new Map<string, Related[]>();
    for (const s of model.services.values()) {
      if (s.contract) continue;
      const ref = referencePorts(s);
      if (!ref?.env) continue;
      const refView = s.views.get(ref.env) as EnvView;
      for (const v of s.views.values()) {
        if (v === refView || v.declared.length === 0 || v.foreign || apartStacks(model, v, refView)) continue;
        for (const [from, to] of movedPorts(v.declared, ref.ports, refView.declared)) {
          for (const d of v.declared.filter((x) => x.port === from)) out.add(d.loc, v.env, { service: s.name, from, to, view: v, ref: ref.env });
        }
      }
    }
    const findings: RawFinding[] = [];
    for (const { loc, envs, data } of out.entries()) {
      const s = model.services.get(data.service);
      if (!s) continue;
      const agreeing = [...s.views.values()].filter((x) => !x.foreign && x.declared.some((d) => d.port === data.to));
      const refDecl = agreeing.find((x) => x.env === data.ref)?.declared.find((d) => d.port === data.to);
      const rel: Related[] = agreeing.flatMap((x) => x.declared.filter((d) => d.port === data.to).map((d) => ({ loc: d.loc, message: `${named(s.name, x)} listens on ${data.to} in ${x.env}` })));
      related.set(`${loc.file}|${loc.start}`, rel);
      const envsTo = [...new Set(agreeing.map((x) => x.env))];
      // A variant (another file that defines the service) is named by its file.
      const msg = { service: named(s.name, data.view), from: data.from, envs: list(envs), to: data.to, envsTo: list(envsTo), at: refDecl ? ` (${where(refDecl.loc)})` : '' };
      let fix: Fix | undefined;
      if (envs.length === 1) {
        const edits = alignEdits(model, data.view, data.from, data.to);
        if (edits.some((e) => e.loc.file === loc.file && e.loc.start === loc.start)) fix = { title: `Align ${s.name} in ${envs[0]} to ${data.to} (as in ${list(envsTo)})`, edits };
      }
      findings.push({ rule: 'port-parity', messageId: 'portDrifts', data: msg, loc, service: s.name, environment: envs.join(','), related: rel, fix });
    }
    return findings;
  },
});
