// What env-port-mismatch and command-port-mismatch share: a token that says which port the process
// listens on, compared with the ports the service declares, per environment and once per token.
import type { EnvView, ServiceModel } from './model-types';
import { portSet } from './model-types';
import { byEnvs, list, PerToken, TokenUse, unionRelated, where } from './query';
import type { Fix, Loc, MessageData, RawFinding, Related } from './types';

/** A token that carries the port the process listens on. */
export interface ListenToken {
  loc: Loc;
  port: number;
  literal: boolean;
  /** What the rule's message says of it, by its template's placeholders: `{ name: 'PORT', port: 3000 }`. */
  said: MessageData;
  /** The fix's title for a port: `Set PORT to 8080`. */
  fixTitle: (port: number) => string;
}

/**
 * One finding per token whose port the service does not declare, naming the declared ports per
 * environment. A fix is offered only when every environment that uses the token wants the same port.
 */
export function declaredMismatches(rule: string, messageId: string, model: { services: Map<string, ServiceModel> }, tokensOf: (s: ServiceModel, v: EnvView) => ListenToken[]): RawFinding[] {
  const out = new PerToken<{ service: string; token: ListenToken; ports: number[]; related: Related[]; fix?: Fix }>();
  const use = new TokenUse();
  for (const s of model.services.values()) {
    for (const v of s.views.values()) {
      // A port traffic is routed to says where the process should listen, not where it does: the
      // tokens that say where it listens judge it (unserved-port), not the other way round.
      const declared = v.declared.filter((d) => d.role !== 'routed');
      const ports = portSet(declared);
      if (ports.length === 0) continue;
      for (const t of tokensOf(s, v)) {
        use.seen(t.loc, `${s.name}|${v.env}`);
        if (ports.includes(t.port)) continue;
        use.wants(t.loc, `${s.name}|${v.env}`, ports);
        const related = declared.filter((d) => d.loc.file !== t.loc.file || d.loc.start !== t.loc.start).map((d) => ({ loc: d.loc, message: `${s.name}'s container port in ${v.env}` }));
        const fix = ports.length === 1 && t.literal ? { title: t.fixTitle(ports[0]), edits: [{ loc: t.loc, newText: String(ports[0]) }] } : undefined;
        out.add(t.loc, v.env, { service: s.name, token: t, ports, related, fix });
      }
    }
  }
  return out.entries().map(({ loc, envs, data, perEnv }) => ({
    rule,
    messageId,
    data: { ...data.token.said, service: data.service, ports: byEnvs(perEnv.map((p) => ({ env: p.env, value: list(p.data.ports) }))), at: data.related[0] ? ` (${where(data.related[0].loc)})` : '' },
    loc,
    service: data.service,
    environment: envs.join(','),
    related: unionRelated(perEnv.map((p) => p.data.related)),
    fix: use.safe(loc) ? data.fix : undefined,
  }));
}
