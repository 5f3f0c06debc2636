// service-target-port: a Service targetPort (number or name) that no selected container declares.
import { k8sIndex } from '../join';
import type { ServiceUnit } from '../join';
import { servedBy } from '../served';
import { inEnvs, list, PerToken, TokenUse, where } from '../../../query';
import type { Fix, MessageData, PortValue, RawFinding, Related } from '../../../types';
import { defineRule } from '../../../rules/types';

export const rule = defineRule({
  meta: {
    id: 'service-target-port',
    description: 'A Service targetPort (number or name) that no container of the selected pods declares.',
    defaultSeverity: 'error',
    fixable: false,
    // Its fix is a judgement, not alignment: the editor's quick fix, `port-parity fix --unsafe`.
    hasSuggestions: true,
    movesPorts: false,
    alignable: false,
    messages: {
      noNamedPort: 'Service {{serviceName}} {{what}}: no container of {{workloads}} has a port named "{{name}}"{{ports}}{{in}}',
      portNotServed: 'Service {{serviceName}} {{what}} but {{workloads}} {{listen}} on {{ports}}{{in}}{{at}}',
    },
  },
  check(model) {
    const out = new PerToken<{ unit: ServiceUnit; messageId: string; data: MessageData; related: Related[]; fix?: Fix }>();
    const use = new TokenUse();
    for (const [env, units] of k8sIndex(model).servicesByEnv) {
      for (const unit of units) {
        if (!unit.svc.selector || unit.selected.length === 0) continue;
        const containers = unit.selected.flatMap((w) => w.workload.containers.filter((c) => !c.init || c.nativeSidecar).map((c) => ({ w, c })));
        const mains = unit.selected.map((w) => w.main).filter((c) => c !== undefined);
        const mainPorts = [...new Set(mains.flatMap((c) => c.ports.filter((p) => p.protocol !== 'UDP' && p.containerPort.port !== undefined)))];
        const related: Related[] = mainPorts.map((p) => ({ loc: p.containerPort.loc, message: `container ${p.name ? `port ${p.name} = ` : 'port '}${p.containerPort.port}` }));
        const names = unit.selected.map((w) => w.workload.name);
        for (const sp of unit.svc.ports) {
          // A targetPort that is not valid is invalid-port's to report; guessing what it meant would mislead.
          if (sp.invalidTarget) continue;
          const tp: PortValue = sp.targetPort ?? sp.port;
          const implicit = !sp.targetPort;
          const what = !implicit ? `targetPort ${tp.raw}` : sp.unsetTarget !== undefined ? `targetPort ${sp.unsetTarget} (unset, so it equals port ${sp.port.port})` : `targetPort (omitted, so it equals port ${sp.port.port})`;
          use.seen(tp.loc, env);
          if (tp.name !== undefined) {
            if (containers.some(({ c }) => c.ports.some((p) => p.name === tp.name) || c.unreadPorts?.some((u) => u.name === tp.name))) continue;
            const fix: Fix | undefined = mainPorts.length === 1 ? { title: `Set targetPort to ${mainPorts[0].name ?? mainPorts[0].containerPort.port}`, edits: [{ loc: tp.loc, newText: String(mainPorts[0].name ?? mainPorts[0].containerPort.port) }] } : undefined;
            use.wants(tp.loc, env, [fix?.edits[0].newText ?? '']);
            out.add(tp.loc, env, { unit, messageId: 'noNamedPort', data: { serviceName: unit.svc.name, what, workloads: list(names), name: tp.name, ports: mainPorts.length ? ` (ports: ${list(mainPorts.map((p) => p.name ? `${p.name}=${p.containerPort.port}` : String(p.containerPort.port)))})` : '' }, related, fix });
            continue;
          }
          const served = new Set<number>();
          for (const { w, c } of containers) for (const p of servedBy(model.services.get(w.service)?.views.get(env), c, c === w.main)) served.add(p);
          // A container port whose number could not be read might be this one.
          if (served.size === 0 || tp.port === undefined || served.has(tp.port) || containers.some(({ c }) => c.unreadPorts?.length)) continue;
          const fix: Fix | undefined = !implicit && mainPorts.length === 1 && tp.literal ? { title: `Set targetPort to ${mainPorts[0].containerPort.port}`, edits: [{ loc: tp.loc, newText: String(mainPorts[0].containerPort.port) }] } : undefined;
          use.wants(tp.loc, env, [fix?.edits[0].newText ?? '']);
          out.add(tp.loc, env, {
            unit,
            messageId: 'portNotServed',
            data: { serviceName: unit.svc.name, what, workloads: list(names), listen: names.length === 1 ? 'listens' : 'listen', ports: list([...served].sort((a, b) => a - b)), at: related[0] ? ` (${where(related[0].loc)})` : '' },
            related,
            fix,
          });
        }
      }
    }
    return out.entries().map(({ loc, envs, data }) => ({
      rule: 'service-target-port',
      messageId: data.messageId,
      data: { ...data.data, in: inEnvs(model.envs.length > 1 ? envs : []) },
      loc,
      service: data.unit.selected[0]?.service,
      environment: envs.join(','),
      related: data.related,
      // An unmarked Service shared by environments whose pods differ is fixed in the overlays, not here.
      fix: use.safe(loc) ? data.fix : undefined,
    }) satisfies RawFinding);
  },
});
