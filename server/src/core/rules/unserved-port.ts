// unserved-port: a platform routes traffic or health checks to a port the service's process does not
// listen on. Format-blind: it reads the ports that format plug-ins contribute with the role `routed-to`
// or `probed` (a fly.toml internal_port, its checks) and what the view says the process listens on.
import { listening } from '../parts';
import type { Listening } from '../parts';
import { byEnvs, list, PerToken, TokenUse, where } from '../query';
import type { Fix, PortPart, RawFinding } from '../types';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'unserved-port',
    description: "A platform routes traffic or health checks to a port the service's process does not listen on.",
    defaultSeverity: 'error',
    fixable: true,
    // The fix moves the platform's port to the process's, not the service's own port.
    movesPorts: false,
    alignable: false,
    messages: {
      portNotServed: '{{what}} is {{port}} but {{service}} listens on {{ports}} ({{said}}, {{at}})',
    },
  },
  check(model) {
    const out = new PerToken<{ service: string; part: PortPart; served: number[]; evidence: Listening[] }>();
    const use = new TokenUse();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const parts = v.processes.flatMap((p) => p.parts.ports).filter((p) => (p.role === 'routed-to' || p.role === 'probed') && p.port !== undefined);
        if (parts.length === 0) continue;
        // Where the process itself says it listens (flags, port variables, else EXPOSE), not the declarations judged here.
        const evidence = listening(v, { declared: false });
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
        messageId: 'portNotServed',
        data: { what: data.part.text, port: data.part.port as number, service: data.service, ports: listens, said: first.said, at: where(first.loc) },
        loc,
        service: data.service,
        environment: envs.join(','),
        related: data.evidence.map((e) => ({ loc: e.loc, message: `${data.service} listens on ${e.port}: ${e.said}` })),
        fix,
      };
    });
  },
});
