// unserved-port: a platform routes traffic or health checks to a port the service's process does not
// listen on. Format-blind: it reads the ports that format plug-ins contribute with the role `routed-to`
// or `probed` (a fly.toml internal_port, its checks) and what the view says the process listens on.
import type { EnvView } from '../model';
import { effectiveCommands, effectiveVars, portParts } from '../parts';
import type { PortPart } from '../types';
import { isServedPortVar } from '../port-names';
import { byEnvs, list, PerToken, TokenUse, where } from '../query';
import type { CommandPort, Fix, Loc, RawFinding } from '../types';
import { defineRule } from './types';

/** Where the process says it listens: its flags and port variables, else its image's EXPOSE (documentation, the weakest word). */
export function listeningEvidence(v: EnvView): { port: number; loc: Loc; said: string }[] {
  const out: { port: number; loc: Loc; said: string }[] = [];
  const flags = effectiveCommands(v).flatMap((c) => c.ports);
  const flag = (p: CommandPort): void => {
    if (p.port !== undefined) out.push({ port: p.port, loc: p.loc, said: `the start command's ${p.flag}` });
  };
  flags.filter((p) => p.primary).forEach(flag);
  for (const e of effectiveVars(v).values()) if (e.port !== undefined && isServedPortVar(e.name, v.service)) out.push({ port: e.port, loc: e.valueLoc, said: `${e.name}=${e.port}` });
  if (out.length === 0) {
    for (const e of portParts(v)) {
      if (e.role !== 'exposed' || e.port === undefined) continue;
      for (let p = e.port; p <= (e.through ?? e.port); p++) out.push({ port: p, loc: e.loc, said: `${e.text} ${e.through ? `${e.port}-${e.through}` : e.port}` });
    }
  }
  // A secondary flag (-metricsPort=9091) is a port it serves too, but alone it does not say which others it serves.
  if (out.length > 0) flags.filter((p) => !p.primary).forEach(flag);
  return out;
}

export const rule = defineRule({
  meta: {
    id: 'unserved-port',
    description: "A platform routes traffic or health checks to a port the service's process does not listen on.",
    defaultSeverity: 'error',
    fixable: true,
    // The fix moves the platform's port to the process's, not the service's own port.
    movesPorts: false,
    alignable: false,
  },
  check(model) {
    const out = new PerToken<{ service: string; part: PortPart; served: number[]; evidence: ReturnType<typeof listeningEvidence> }>();
    const use = new TokenUse();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const parts = v.processes.flatMap((p) => p.parts.ports).filter((p) => (p.role === 'routed-to' || p.role === 'probed') && p.port !== undefined);
        if (parts.length === 0) continue;
        const evidence = listeningEvidence(v);
        const served = [...new Set(evidence.map((e) => e.port))];
        // Nothing says where the process listens: unknown, not wrong. And where one routed port is
        // served, another may be a second listener that the configuration does not show: not judged.
        if (served.length === 0 || parts.some((p) => served.includes(p.port as number))) continue;
        for (const part of parts) {
          use.seen(part.loc, `${s.name}|${v.env}`);
          if (served.includes(part.port as number)) continue;
          use.wants(part.loc, `${s.name}|${v.env}`, served);
          out.add(part.loc, v.env, { service: s.name, part, served, evidence });
        }
      }
    }
    return out.entries().map(({ loc, envs, data, perEnv }): RawFinding => {
      const first = data.evidence[0];
      const fix: Fix | undefined = data.served.length === 1 && data.part.literal && use.safe(loc) ? { title: `Change ${data.part.text} to ${data.served[0]}`, edits: [{ loc, newText: String(data.served[0]) }] } : undefined;
      const listens = byEnvs(perEnv.map((p) => ({ env: p.env, value: list(p.data.served) })));
      return {
        rule: 'unserved-port',
        message: `${data.part.text} is ${data.part.port} but ${data.service} listens on ${listens} (${first.said}, ${where(first.loc)})`,
        loc,
        service: data.service,
        environment: envs.join(','),
        related: data.evidence.map((e) => ({ loc: e.loc, message: `${data.service} listens on ${e.port}: ${e.said}` })),
        fix,
      };
    });
  },
});
