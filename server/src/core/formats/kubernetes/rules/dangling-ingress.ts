// dangling-ingress: an Ingress or Gateway API route sends traffic to a Service the workspace does not
// define in that namespace, while it defines one whose name is a typo away (`cart` for `carts`).
import { k8sIndex } from '../join';
import { inEnvs, PerToken } from '../../../query';
import type { Fix, Loc, MessageData, RawFinding } from '../../../types';
import { defineRule } from '../../../rules/types';
import { near } from './near';

export const rule = defineRule({
  meta: {
    id: 'dangling-ingress',
    description: 'An Ingress backend or an HTTPRoute/GRPCRoute backendRef names a Service the workspace does not define, while a Service of a name a typo away is there.',
    defaultSeverity: 'warning',
    fixable: true,
    movesPorts: false,
    alignable: false,
    messages: {
      noSuchService: '{{from}} routes to Service {{service}}, which no manifest of namespace {{namespace}} defines{{in}}; did you mean {{meant}}?',
    },
  },
  check(model) {
    const out = new PerToken<{ data: MessageData; related: { loc: Loc; message: string }[]; fix?: Fix; owner?: string }>();
    const k8s = k8sIndex(model);
    for (const [env, backends] of k8s.backendsByEnv) {
      const byNs = new Map<string, Map<string, { loc: Loc; owner?: string }>>();
      for (const u of k8s.servicesByEnv.get(env) ?? []) {
        const names = byNs.get(u.svc.namespace) ?? new Map<string, { loc: Loc; owner?: string }>();
        if (!names.has(u.svc.name)) names.set(u.svc.name, { loc: u.svc.nameLoc, owner: u.selected[0]?.service });
        byNs.set(u.svc.namespace, names);
      }
      for (const { backend } of backends) {
        const names = byNs.get(backend.namespace);
        // A Service the workspace does not define (another repository, an operator's) is not ours to judge:
        // only a name a typo away from one it defines is reported.
        if (!names || names.has(backend.service)) continue;
        const meant = near(backend.service, names.keys());
        if (meant.length === 0) continue;
        const first = names.get(meant[0]) as { loc: Loc; owner?: string };
        out.add(backend.serviceLoc, env, {
          data: { from: backend.from, service: backend.service, namespace: backend.namespace, meant: meant.join(' or ') },
          related: meant.map((m) => ({ loc: (names.get(m) as { loc: Loc }).loc, message: `Service ${m}` })),
          fix: meant.length === 1 ? { title: `Route to Service ${meant[0]}`, edits: [{ loc: backend.serviceLoc, newText: meant[0] }] } : undefined,
          owner: first.owner,
        });
      }
    }
    return out.entries().map(({ loc, envs, data }) => ({ rule: 'dangling-ingress', messageId: 'noSuchService', data: { ...data.data, in: inEnvs(model.envs.length > 1 ? envs : []) }, loc, service: data.owner, environment: envs.join(','), related: data.related, fix: data.fix }) satisfies RawFinding);
  },
});
