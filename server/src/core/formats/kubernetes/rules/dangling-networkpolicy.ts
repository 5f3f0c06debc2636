// dangling-networkpolicy: a NetworkPolicy's podSelector selects no pod of the workspace in its namespace,
// while a pod label value a typo away is there (`app: cart` for `app: carts`): it guards nothing.
import { k8sIndex, policyPods } from '../join';
import { inEnvs, PerToken } from '../../../query';
import type { Fix, Loc, MessageData, RawFinding } from '../../../types';
import { defineRule } from '../../../rules/types';
import { near } from './near';

export const rule = defineRule({
  meta: {
    id: 'dangling-networkpolicy',
    description: "A NetworkPolicy's podSelector selects no pod of the workspace, while a pod label value a typo away is there.",
    defaultSeverity: 'warning',
    fixable: true,
    movesPorts: false,
    alignable: false,
    messages: {
      selectsNothing: 'NetworkPolicy {{policy}} selects pods with {{label}}={{value}}, but no pod of namespace {{namespace}} has it{{in}}; did you mean {{meant}}?',
    },
  },
  check(model) {
    const out = new PerToken<{ data: MessageData; related: { loc: Loc; message: string }[]; fix?: Fix; owner?: string }>();
    const k8s = k8sIndex(model);
    for (const [env, policies] of k8s.policiesByEnv) {
      const pods = k8s.workloadsByEnv.get(env) ?? [];
      for (const { policy } of policies) {
        if (Object.keys(policy.podSelector).length === 0 || policyPods(model, env, policy).length > 0) continue;
        const mine = pods.filter((w) => w.workload.namespace === policy.namespace);
        // The label whose value no pod has; a pod of the namespace that has every other label, and that one a typo away.
        for (const [label, value] of Object.entries(policy.podSelector)) {
          const others = Object.entries(policy.podSelector).filter(([k]) => k !== label);
          const candidates = mine.filter((w) => others.every(([k, v]) => w.workload.labels[k] === v) && w.workload.labels[label] !== undefined);
          if (candidates.some((w) => w.workload.labels[label] === value)) continue;
          const meant = near(value, candidates.map((w) => w.workload.labels[label]));
          const at = policy.selectorLocs?.[label];
          if (meant.length === 0 || !at) continue;
          const chosen = candidates.filter((w) => meant.includes(w.workload.labels[label]));
          out.add(at, env, {
            data: { policy: policy.name, label, value, namespace: policy.namespace, meant: meant.map((m) => `${label}=${m}`).join(' or ') },
            related: chosen.map((w) => ({ loc: w.workload.nameLoc, message: `${w.workload.kind} ${w.workload.name} has ${label}=${w.workload.labels[label]}` })),
            fix: meant.length === 1 ? { title: `Select ${label}=${meant[0]}`, edits: [{ loc: at, newText: meant[0] }] } : undefined,
            owner: chosen[0]?.service,
          });
        }
      }
    }
    return out.entries().map(({ loc, envs, data }) => ({ rule: 'dangling-networkpolicy', messageId: 'selectsNothing', data: { ...data.data, in: inEnvs(model.envs.length > 1 ? envs : []) }, loc, service: data.owner, environment: envs.join(','), related: data.related, fix: data.fix }) satisfies RawFinding);
  },
});
