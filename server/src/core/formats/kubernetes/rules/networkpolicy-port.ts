// networkpolicy-port: a NetworkPolicy admits traffic on a port that none of the pods it selects serves.
import { k8sIndex, policyPods } from '../join';
import { servedBy } from '../served';
import { inEnvs, list, PerToken } from '../../../query';
import type { Loc, MessageData, RawFinding } from '../../../types';
import { defineRule } from '../../../rules/types';

export const rule = defineRule({
  meta: {
    id: 'networkpolicy-port',
    description: 'A NetworkPolicy ingress port (number or name) that no container of the pods it selects declares.',
    defaultSeverity: 'warning',
    fixable: false,
    movesPorts: false,
    alignable: false,
    messages: {
      noNamedPort: 'NetworkPolicy {{policy}} admits port "{{name}}" but no container of {{pods}} has a port of that name{{in}}',
      portNotServed: 'NetworkPolicy {{policy}} admits {{admits}} but {{pods}} {{listen}} on {{ports}}{{in}}: traffic to the real port is dropped',
    },
  },
  check(model) {
    const out = new PerToken<{ messageId: string; data: MessageData; related: { loc: Loc; message: string }[]; service?: string }>();
    for (const [env, policies] of k8sIndex(model).policiesByEnv) {
      for (const { policy } of policies) {
        // An empty podSelector admits a port for every pod of the namespace; most of them rightly do not serve it.
        const keys = Object.entries(policy.podSelector);
        if (keys.length === 0) continue;
        const pods = policyPods(model, env, policy);
        if (pods.length === 0) continue;
        const containers = pods.flatMap((w) => w.workload.containers.filter((c) => !c.init || c.nativeSidecar).map((c) => ({ w, c })));
        const served = new Set<number>();
        for (const { w, c } of containers) for (const p of servedBy(model.services.get(w.service)?.views.get(env), c, c === w.main)) served.add(p);
        const names = new Set(containers.flatMap(({ c }) => [...c.ports, ...(c.unreadPorts ?? [])].map((p) => p.name).filter((n): n is string => !!n)));
        // A container port whose number could not be read might be the one a numeric port admits.
        const unread = containers.some(({ c }) => c.unreadPorts?.length);
        const related = containers.flatMap(({ c }) => c.ports.map((p) => ({ loc: p.containerPort.loc, message: `container ${c.name} port ${p.name ? `${p.name} = ` : ''}${p.containerPort.port}` })));
        const podNames = list(pods.map((w) => w.workload.name));
        for (const p of policy.ports) {
          if (p.name !== undefined) {
            if (names.has(p.name)) continue;
            out.add(p.loc, env, { messageId: 'noNamedPort', data: { policy: policy.name, name: p.name, pods: podNames }, related, service: pods[0].service });
          } else if (p.port !== undefined && served.size > 0 && !unread && ![...served].some((x) => x >= (p.port as number) && x <= (p.endPort ?? (p.port as number)))) {
            // A range (endPort) is named as such: "admits port 9000" would misstate what the policy admits.
            const admits = p.endPort !== undefined && p.endPort !== p.port ? `ports ${p.port}-${p.endPort}` : `port ${p.port}`;
            out.add(p.loc, env, { messageId: 'portNotServed', data: { policy: policy.name, admits, pods: podNames, listen: pods.length === 1 ? 'listens' : 'listen', ports: list([...served].sort((a, b) => a - b)) }, related, service: pods[0].service });
          }
        }
      }
    }
    return out.entries().map(({ loc, envs, data }) => ({ rule: 'networkpolicy-port', messageId: data.messageId, data: { ...data.data, in: inEnvs(model.envs.length > 1 ? envs : []) }, loc, service: data.service, environment: envs.join(','), related: data.related }) satisfies RawFinding);
  },
});
