// ingress-backend-port: an Ingress or Gateway API route sends traffic to a port its Service does not have.
import { k8sIndex, serviceIndex } from '../join';
import { inEnvs, list, PerToken, TokenUse, where } from '../../../query';
import type { Fix, Loc, MessageData, RawFinding } from '../../../types';
import { defineRule } from '../../../rules/types';

export const rule = defineRule({
  meta: {
    id: 'ingress-backend-port',
    description: 'An Ingress backend or an HTTPRoute/GRPCRoute backendRef names a port (number or name) that the Service does not have.',
    defaultSeverity: 'error',
    fixable: true,
    movesPorts: false,
    alignable: false,
    messages: {
      noNamedPort: '{{from}} routes to port "{{name}}" of Service {{serviceName}}, which has no port of that name{{in}}{{ports}}',
      portNotServed: '{{from}} routes to port {{port}} of Service {{serviceName}}, which serves {{ports}}{{in}}{{at}}; the backend port is the Service port, not the targetPort',
    },
  },
  check(model) {
    const out = new PerToken<{ messageId: string; data: MessageData; related: { loc: Loc; message: string }[]; fix?: Fix; service?: string }>();
    const use = new TokenUse();
    const k8s = k8sIndex(model);
    for (const [env, backends] of k8s.backendsByEnv) {
      const services = serviceIndex(k8s.servicesByEnv.get(env) ?? []);
      for (const { backend, file } of backends) {
        const unit = services.get(backend.namespace, backend.service, file);
        const p = backend.port;
        // A Service the workspace does not define (another repo, an operator) is not ours to judge.
        if (!unit || !p) continue;
        use.seen(p.loc, env);
        const ok = p.name !== undefined ? unit.svc.ports.some((x) => x.name === p.name) : unit.svc.ports.some((x) => x.port.port === p.port);
        if (!ok) use.wants(p.loc, env, unit.svc.ports.map((x) => (p.name !== undefined ? (x.name ?? '') : String(x.port.port))));
        const ports = unit.svc.ports;
        const related = ports.map((x) => ({ loc: x.port.loc, message: `Service ${unit.svc.name} port ${x.name ? `${x.name} = ` : ''}${x.port.port}` }));
        const owner = unit.selected[0]?.service;
        if (p.name !== undefined) {
          if (ports.some((x) => x.name === p.name)) continue;
          const only = ports.length === 1 ? ports[0] : undefined;
          out.add(p.loc, env, {
            messageId: 'noNamedPort',
            data: { from: backend.from, name: p.name, serviceName: unit.svc.name, ports: ports.length ? ` (ports: ${list(ports.map((x) => (x.name ? `${x.name}=${x.port.port}` : String(x.port.port))))})` : '' },
            related,
            fix: only?.name ? { title: `Use port ${only.name}`, edits: [{ loc: p.loc, newText: only.name }] } : undefined,
            service: owner,
          });
        } else if (p.port !== undefined && !ports.some((x) => x.port.port === p.port)) {
          const only = ports.length === 1 ? ports[0].port.port : undefined;
          out.add(p.loc, env, {
            messageId: 'portNotServed',
            data: { from: backend.from, port: p.port, serviceName: unit.svc.name, ports: list(ports.map((x) => String(x.port.port))), at: related[0] ? ` (${where(related[0].loc)})` : '' },
            related,
            fix: only !== undefined && p.literal ? { title: `Use port ${only}`, edits: [{ loc: p.loc, newText: String(only) }] } : undefined,
            service: owner,
          });
        }
      }
    }
    // A base Ingress shared with an environment where its port is right is not "fixed" for another.
    return out.entries().map(({ loc, envs, data }) => ({ rule: 'ingress-backend-port', messageId: data.messageId, data: { ...data.data, in: inEnvs(model.envs.length > 1 ? envs : []) }, loc, service: data.service, environment: envs.join(','), related: data.related, fix: use.safe(loc) ? data.fix : undefined }) satisfies RawFinding);
  },
});
