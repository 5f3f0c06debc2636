// command-port-mismatch: the port in the start command differs from the declared container port.
import { portSet } from '../model';
import { byEnvs, effectiveCommands, list, PerToken, TokenUse, unionRelated, where } from '../query';
import type { Fix, RawFinding, Related } from '../types';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'command-port-mismatch',
  description: "The listening port in the start command (--port, --bind, -Dserver.port, --urls...) differs from the service's declared container port.",
  defaultSeverity: 'warning',
  fixable: true,
  check(model) {
    const out = new PerToken<{ service: string; flag: string; value: number; ports: number[]; related: Related[]; fix?: Fix }>();
    const use = new TokenUse();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const ports = portSet(v.declared);
        if (ports.length === 0) continue;
        for (const c of effectiveCommands(v)) {
          for (const p of c.ports) {
            // `--port $PORT`: the variable's own value is checked by env-port-mismatch.
            if (!p.primary || p.port === undefined || p.variable) continue;
            use.seen(p.loc, `${s.name}|${v.env}`);
            if (ports.includes(p.port)) continue;
            use.wants(p.loc, `${s.name}|${v.env}`, ports);
            const related = v.declared.map((d) => ({ loc: d.loc, message: `${s.name}'s container port in ${v.env}` }));
            const fix = ports.length === 1 && p.literal ? { title: `Listen on ${ports[0]}`, edits: [{ loc: p.loc, newText: String(ports[0]) }] } : undefined;
            out.add(p.loc, v.env, { service: s.name, flag: p.flag, value: p.port, ports, related, fix });
          }
        }
      }
    }
    return out.entries().map(({ loc, envs, data, perEnv }) => ({
      rule: 'command-port-mismatch',
      message: `the start command listens on ${data.value} (${data.flag}) but ${data.service}'s container port is ${byEnvs(perEnv.map((p) => ({ env: p.env, value: list(p.data.ports) })))}${data.related[0] ? ` (${where(data.related[0].loc)})` : ''}`,
      loc,
      service: data.service,
      environment: envs.join(','),
      related: unionRelated(perEnv.map((p) => p.data.related)),
      // One fix for all environments only when they all want the same port.
      fix: use.safe(loc) && new Set(perEnv.map((p) => p.data.fix?.edits[0]?.newText)).size === 1 ? data.fix : undefined,
    }) satisfies RawFinding);
  },
};
