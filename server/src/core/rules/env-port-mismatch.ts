// env-port-mismatch: a PORT-style variable differs from the declared container port.
import { portSet } from '../model';
import { byEnvs, effectiveVars, isOwnPortVar, list, PerToken, TokenUse, unionRelated, where } from '../query';
import type { Fix, RawFinding, Related } from '../types';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'env-port-mismatch',
  description: "A PORT-style variable (PORT, HTTP_PORT, SERVER_PORT, <SERVICE>_PORT...) differs from the service's declared container port.",
  defaultSeverity: 'warning',
  fixable: true,
  check(model) {
    const out = new PerToken<{ service: string; name: string; value: number; ports: number[]; related: Related[]; fix?: Fix }>();
    const use = new TokenUse();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const ports = portSet(v.declared);
        if (ports.length === 0) continue;
        // Only the value the process sees: an orchestrator's variable hides the image's and the .env's.
        for (const e of effectiveVars(v).values()) {
          if (e.port === undefined || !isOwnPortVar(e.name, s.name)) continue;
          use.seen(e.valueLoc, `${s.name}|${v.env}`);
          if (ports.includes(e.port)) continue;
          use.wants(e.valueLoc, `${s.name}|${v.env}`, ports);
          const related = v.declared.filter((d) => d.loc.file !== e.valueLoc.file || d.loc.start !== e.valueLoc.start).map((d) => ({ loc: d.loc, message: `${s.name}'s container port in ${v.env}` }));
          const fix = ports.length === 1 && e.literal ? { title: `Set ${e.name} to ${ports[0]}`, edits: [{ loc: e.valueLoc, newText: String(ports[0]) }] } : undefined;
          out.add(e.valueLoc, v.env, { service: s.name, name: e.name, value: e.port, ports, related, fix });
        }
      }
    }
    return out.entries().map(({ loc, envs, data, perEnv }) => ({
      rule: 'env-port-mismatch',
      message: `${data.name}=${data.value} but ${data.service}'s container port is ${byEnvs(perEnv.map((p) => ({ env: p.env, value: list(p.data.ports) })))}${data.related[0] ? ` (${where(data.related[0].loc)})` : ''}`,
      loc,
      service: data.service,
      environment: envs.join(','),
      related: unionRelated(perEnv.map((p) => p.data.related)),
      // One fix for all environments only when they all want the same port.
      fix: use.safe(loc) && new Set(perEnv.map((p) => p.data.fix?.edits[0]?.newText)).size === 1 ? data.fix : undefined,
    }) satisfies RawFinding);
  },
};
