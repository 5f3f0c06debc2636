// probe-port: a probe or health check that targets a port the container does not serve.
import { judged } from '../formats/compose/hosts';
import { composeOf } from '../formats/compose/join';
import { imageOf } from '../formats/dockerfile/join';
import { workloadsOf } from '../formats/kubernetes/join';
import { servedBy } from '../formats/kubernetes/served';
import { saysWhere } from '../parts';
import { isServedPortVar, isSelfHost, list, PerToken, servedPorts } from '../query';
import type { Fix, K8sContainer, MessageData, PortValue, RawFinding, Related } from '../types';
import { defineRule } from './types';

interface Hit {
  service: string;
  messageId: string;
  data: MessageData;
  related: Related[];
  fix?: Fix;
}

/** Only when the container serves exactly one TCP port is the right probe port certain. */
function portFix(p: PortValue, c: K8sContainer, served: Set<number>): Fix | undefined {
  if (served.size !== 1) return undefined;
  const port = [...served][0];
  const named = c.ports.find((x) => x.protocol === 'TCP' && x.containerPort.port === port && x.name);
  const to = p.name !== undefined && named?.name ? named.name : String(port);
  return { title: `Probe port ${to} instead`, edits: [{ loc: p.loc, newText: to }] };
}

export const rule = defineRule({
  meta: {
    id: 'probe-port',
    description: 'A liveness, readiness or startup probe, a Dockerfile HEALTHCHECK or a compose healthcheck targets a port the container does not serve.',
    defaultSeverity: 'error',
    fixable: false,
    // Its fix is a judgement, not alignment: the editor's quick fix, `port-parity fix --unsafe`.
    hasSuggestions: true,
    movesPorts: false,
    alignable: false,
    messages: {
      noNamedPort: '{{probe}} uses port "{{name}}" but the container has no port of that name',
      namedPortNotTcp: '{{probe}} uses port "{{name}}", which is {{protocol}}: probes connect over TCP',
      portNotServed: '{{probe}} checks port {{port}} but the container listens on {{ports}}',
      healthcheckNotServed: 'healthcheck of {{service}} connects to {{host}}:{{port}} but the container listens on {{ports}}',
      healthcheckNotServedInNetwork: 'healthcheck of {{service}} connects to {{host}}:{{port}} but the container listens on {{ports}} (inside the network the container port counts, not the published one)',
      dockerHealthcheckNotServed: 'HEALTHCHECK connects to port {{port}} but {{service}} listens on {{ports}}',
    },
  },
  check(model) {
    const out = new PerToken<Hit>();
    const dockerServed = new Map<string, Set<number>>();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const image = imageOf(v);
        const compose = composeOf(v)?.service;
        for (const w of workloadsOf(v)) {
          for (const c of w.workload.containers) {
            if (c.probes.length === 0) continue;
            const served = servedBy(v, c, c === w.main, true);
            const related: Related[] = c.ports.map((p) => ({ loc: p.containerPort.loc, message: `container ${c.name} port ${p.name ? `${p.name} = ` : ''}${p.containerPort.port}${p.protocol !== 'TCP' ? `/${p.protocol}` : ''}` }));
            for (const pr of c.probes) {
              const p = pr.port;
              const label = `${pr.kind} probe of container ${c.name}`;
              if (p.name !== undefined) {
                const named = c.ports.find((x) => x.name === p.name);
                // A port of that name whose number could not be read: nothing to judge.
                if (!named && c.unreadPorts?.some((u) => u.name === p.name)) continue;
                if (!named) out.add(p.loc, v.env, { service: s.name, messageId: 'noNamedPort', data: { probe: label, name: p.name }, related, fix: portFix(p, c, served) });
                else if (named.protocol !== 'TCP') out.add(p.loc, v.env, { service: s.name, messageId: 'namedPortNotTcp', data: { probe: label, name: p.name, protocol: named.protocol }, related, fix: portFix(p, c, served) });
              } else if (p.port !== undefined && served.size > 0 && !served.has(p.port) && !c.unreadPorts?.length) {
                out.add(p.loc, v.env, { service: s.name, messageId: 'portNotServed', data: { probe: label, port: p.port, ports: list([...served].sort((a, b) => a - b)) }, related, fix: p.literal ? portFix(p, c, served) : undefined });
              }
            }
          }
        }
        // Only a healthcheck needs what the service serves (a port range makes that set large).
        if (compose?.healthchecks.length) {
          const served = servedPorts(v);
          for (const h of compose.healthchecks) {
            if (!isSelfHost(h.host, v) || h.port.port === undefined || served.size === 0 || served.has(h.port.port)) continue;
            // A stock image's compose ports are not all it listens on (SeaweedFS's master on 9333 behind ports 8888 and 18888): judged only where the workspace can know.
            if (!judged(v, h.port.port, saysWhere(v))) continue;
            const only = [...served];
            const fix: Fix | undefined = only.length === 1 && h.port.literal ? { title: `Check port ${only[0]} instead`, edits: [{ loc: h.port.loc, newText: String(only[0]) }] } : undefined;
            out.add(h.port.loc, v.env, {
              service: s.name,
              messageId: h.host && !['localhost', '127.0.0.1'].includes(h.host) ? 'healthcheckNotServedInNetwork' : 'healthcheckNotServed',
              data: { service: s.name, host: h.host ?? 'localhost', port: h.port.port, ports: list(only.sort((a, b) => a - b)) },
              related: v.declared.map((d) => ({ loc: d.loc, message: `${s.name} container port ${d.port}` })),
              fix,
            });
          }
        }
        if (image && image.healthchecks.length) {
          const set = dockerServed.get(image.file) ?? new Set<number>();
          for (const e of image.exposes) if (e.port !== undefined) for (let p = e.port; p <= (e.rangeEnd ?? e.port); p++) set.add(p);
          for (const p of image.command.ports) if (p.port !== undefined && p.primary) set.add(p.port);
          for (const e of image.env) if (e.port !== undefined && isServedPortVar(e.name, s.name)) set.add(e.port);
          for (const d of v.declared) set.add(d.port);
          // A secondary flag (-metricsPort=9091) adds its port, but alone does not say what the process serves.
          if (set.size > 0) for (const p of image.command.ports) if (p.port !== undefined) set.add(p.port);
          dockerServed.set(image.file, set);
        }
      }
    }
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const image = imageOf(v);
        const served = image ? dockerServed.get(image.file) : undefined;
        if (!image || !served || served.size === 0) continue;
        // Kubernetes ignores HEALTHCHECK, and a compose healthcheck replaces it.
        if (workloadsOf(v).length > 0 || composeOf(v)?.service.hasHealthcheck) continue;
        for (const h of image.healthchecks) {
          if (!isSelfHost(h.host, v) || h.port.port === undefined || served.has(h.port.port)) continue;
          const only = [...served].sort((a, b) => a - b);
          out.add(h.port.loc, v.env, {
            service: s.name,
            messageId: 'dockerHealthcheckNotServed',
            data: { port: h.port.port, service: s.name, ports: list(only) },
            related: v.declared.map((d) => ({ loc: d.loc, message: `${s.name} container port ${d.port} in ${v.env}` })),
            fix: only.length === 1 && h.port.literal ? { title: `Check port ${only[0]} instead`, edits: [{ loc: h.port.loc, newText: String(only[0]) }] } : undefined,
          });
        }
      }
    }
    return out.entries().map(({ loc, envs, data }) => ({ rule: 'probe-port', messageId: data.messageId, data: data.data, loc, service: data.service, environment: envs.join(','), related: data.related, fix: data.fix }) satisfies RawFinding);
  },
});
