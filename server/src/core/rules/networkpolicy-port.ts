// networkpolicy-port: a NetworkPolicy admits traffic on a port that none of the pods it selects serves.
import { k8sIndex, policyPods } from '../formats/kubernetes/join';
import { servedBy } from '../formats/kubernetes/served';
import { list, PerToken, placeEnvs } from '../query';
import type { Loc, RawFinding } from '../types';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'networkpolicy-port',
    description: 'A NetworkPolicy ingress port (number or name) that no container of the pods it selects declares.',
    defaultSeverity: 'warning',
    fixable: false,
    movesPorts: false,
    alignable: false,
  },
  check(model) {
    const out = new PerToken<{ message: string; related: { loc: Loc; message: string }[]; service?: string }>();
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
            out.add(p.loc, env, { message: `NetworkPolicy ${policy.name} admits port "${p.name}" but no container of ${podNames} has a port of that name{in}`, related, service: pods[0].service });
          } else if (p.port !== undefined && served.size > 0 && !unread && ![...served].some((x) => x >= (p.port as number) && x <= (p.endPort ?? (p.port as number)))) {
            // A range (endPort) is named as such: "admits port 9000" would misstate what the policy admits.
            const admits = p.endPort !== undefined && p.endPort !== p.port ? `ports ${p.port}-${p.endPort}` : `port ${p.port}`;
            out.add(p.loc, env, { message: `NetworkPolicy ${policy.name} admits ${admits} but ${podNames} listen${pods.length === 1 ? 's' : ''} on ${list([...served].sort((a, b) => a - b))}{in}: traffic to the real port is dropped`, related, service: pods[0].service });
          }
        }
      }
    }
    return out.entries().map(({ loc, envs, data }) => ({ rule: 'networkpolicy-port', message: placeEnvs(data.message, model.envs.length > 1 ? envs : []), loc, service: data.service, environment: envs.join(','), related: data.related }) satisfies RawFinding);
  },
});
