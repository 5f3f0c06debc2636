// duplicate-port: a host port published twice in one compose environment, or a containerPort or port name twice in a pod.
import { composeByEnv, startTogether } from '../formats/compose/join';
import type { ComposeUnit } from '../formats/compose/join';
import { workloadsOf } from '../formats/kubernetes/join';
import { list, PerToken, where } from '../query';
import type { K8sWorkload, Loc, MessageData, RawFinding } from '../types';
import { defineRule } from './types';

export const rule = defineRule({
  meta: {
    id: 'duplicate-port',
    description: 'The same host port published twice in one Compose environment, the same containerPort twice in a pod, or two ports with the same name in a pod.',
    defaultSeverity: 'warning',
    fixable: false,
    movesPorts: false,
    alignable: false,
    messages: {
      hostPortTaken: 'host port {{port}}{{protocol}} is published by {{other}} already ({{at}}); {{service}} cannot bind it too{{in}}',
      containerPortTwice: 'containerPort {{port}}{{protocol}} is declared twice in {{kind}} {{workload}} ({{at}}){{in}}',
      portNameTwice: 'port name "{{name}}" is used twice in {{kind}} {{workload}} ({{at}}): named references become ambiguous{{in}}',
    },
  },
  check(model) {
    const out = new PerToken<{ messageId: string; data: MessageData; first: Loc; service?: string }>();
    for (const [env, units] of composeByEnv(model)) {
      const taken = new Map<string, { loc: Loc; service: string; ip: string; unit: ComposeUnit }[]>();
      for (const u of units) {
        for (const p of u.service.ports) {
          if (!p.host || p.host.port === undefined) continue;
          const ip = p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? p.hostIp : '*';
          for (let i = 0; i < Math.min(p.count, 1000); i++) {
            const key = `${u.project}|${p.host.port + i}/${p.protocol}`;
            const prev = taken.get(key) ?? [];
            const at = p.host.loc;
            // Services that never start together (a profile-only alternative) may publish the same port.
            // One token is one mapping, unless two services carry it (both extend the definition that publishes it).
            const clash = prev.find((x) => (x.ip === '*' || ip === '*' || x.ip === ip) && (x.loc !== at || x.service !== u.service.name) && startTogether(x.unit, u));
            if (clash) {
              out.add(p.host.loc, env, { messageId: 'hostPortTaken', data: { port: p.host.port + i, protocol: p.protocol !== 'TCP' ? `/${p.protocol}` : '', other: clash.service, at: where(clash.loc), service: u.service.name }, first: clash.loc, service: u.service.name });
              break;
            }
            prev.push({ loc: p.host.loc, service: u.service.name, ip, unit: u });
            taken.set(key, prev);
          }
        }
      }
    }
    // A pod's duplicates are its service's: re-checked with that service (an overlay's render places them in a base or a patch).
    const serviceOf = new Map<K8sWorkload, string>();
    for (const s of model.services.values()) for (const v of s.views.values()) for (const w of workloadsOf(v)) serviceOf.set(w.workload, s.name);
    for (const f of model.facts.values()) {
      if (f.kind !== 'kubernetes') continue;
      for (const w of f.workloads) {
        const service = serviceOf.get(w);
        const ports = new Map<string, Loc>();
        const names = new Map<string, Loc>();
        // Of two declarations, the one an overlay's patch added is the mistake: it is reported there, not
        // in the base file the other environments share (the object's own file, where its name is).
        const place = (prev: Loc, cur: Loc): { at: Loc; first: Loc } => (prev.file !== w.nameLoc.file && cur.file === w.nameLoc.file ? { at: prev, first: cur } : { at: cur, first: prev });
        for (const c of w.containers.filter((x) => !x.init || x.nativeSidecar)) {
          for (const p of c.ports) {
            const key = `${p.containerPort.port}/${p.protocol}`;
            const prev = ports.get(key);
            if (prev && p.containerPort.port !== undefined) {
              const { at, first } = place(prev, p.containerPort.loc);
              out.add(at, '', { messageId: 'containerPortTwice', data: { port: p.containerPort.port, protocol: p.protocol !== 'TCP' ? `/${p.protocol}` : '', kind: w.kind, workload: w.name, at: where(first) }, first, service });
            } else ports.set(key, p.containerPort.loc);
            if (p.name && p.nameLoc) {
              const prevName = names.get(p.name);
              if (prevName) {
                const { at, first } = place(prevName, p.nameLoc);
                out.add(at, '', { messageId: 'portNameTwice', data: { name: p.name, kind: w.kind, workload: w.name, at: where(first) }, first, service });
              } else names.set(p.name, p.nameLoc);
            }
          }
        }
      }
    }
    return out.entries().map(({ loc, envs, data }) => {
      const e = envs.filter(Boolean);
      return { rule: 'duplicate-port', messageId: data.messageId, data: { ...data.data, in: e.length && model.envs.length > 1 ? ` in ${list(e)}` : '' }, loc, service: data.service, environment: e.join(',') || undefined, related: [{ loc: data.first, message: 'first declared here' }] } satisfies RawFinding;
    });
  },
});
