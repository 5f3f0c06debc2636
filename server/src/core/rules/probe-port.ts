// probe-port: a probe or health check that targets a port the container does not serve.
import { isServedPortVar, isSelfHost, list, PerToken, servedBy, servedByCompose } from '../query';
import type { Fix, K8sContainer, PortValue, RawFinding, Related } from '../types';
import { defineRule } from './types';

interface Hit {
  service: string;
  message: string;
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
    movesPorts: false,
    alignable: false,
  },
  check(model) {
    const out = new PerToken<Hit>();
    const dockerServed = new Map<string, Set<number>>();
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        for (const w of v.workloads) {
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
                if (!named) out.add(p.loc, v.env, { service: s.name, message: `${label} uses port "${p.name}" but the container has no port of that name`, related, fix: portFix(p, c, served) });
                else if (named.protocol !== 'TCP') out.add(p.loc, v.env, { service: s.name, message: `${label} uses port "${p.name}", which is ${named.protocol}: probes connect over TCP`, related, fix: portFix(p, c, served) });
              } else if (p.port !== undefined && served.size > 0 && !served.has(p.port) && !c.unreadPorts?.length) {
                out.add(p.loc, v.env, { service: s.name, message: `${label} checks port ${p.port} but the container listens on ${list([...served].sort((a, b) => a - b))}`, related, fix: p.literal ? portFix(p, c, served) : undefined });
              }
            }
          }
        }
        // Only a healthcheck needs what the service serves (a port range makes that set large).
        if (v.compose?.service.healthchecks.length) {
          const served = servedByCompose(v);
          for (const h of v.compose.service.healthchecks) {
            if (!isSelfHost(h.host, v) || h.port.port === undefined || served.size === 0 || served.has(h.port.port)) continue;
            const only = [...served];
            const fix: Fix | undefined = only.length === 1 && h.port.literal ? { title: `Check port ${only[0]} instead`, edits: [{ loc: h.port.loc, newText: String(only[0]) }] } : undefined;
            out.add(h.port.loc, v.env, {
              service: s.name,
              message: `healthcheck of ${s.name} connects to ${h.host ?? 'localhost'}:${h.port.port} but the container listens on ${list(only.sort((a, b) => a - b))}${h.host && !['localhost', '127.0.0.1'].includes(h.host) ? ' (inside the network the container port counts, not the published one)' : ''}`,
              related: v.declared.map((d) => ({ loc: d.loc, message: `${s.name} container port ${d.port}` })),
              fix,
            });
          }
        }
        if (v.image && v.image.healthchecks.length) {
          const set = dockerServed.get(v.image.file) ?? new Set<number>();
          for (const e of v.image.exposes) if (e.port !== undefined) for (let p = e.port; p <= (e.rangeEnd ?? e.port); p++) set.add(p);
          for (const p of v.image.command.ports) if (p.port !== undefined && p.primary) set.add(p.port);
          for (const e of v.image.env) if (e.port !== undefined && isServedPortVar(e.name, s.name)) set.add(e.port);
          for (const d of v.declared) set.add(d.port);
          // A secondary flag (-metricsPort=9091) adds its port, but alone does not say what the process serves.
          if (set.size > 0) for (const p of v.image.command.ports) if (p.port !== undefined) set.add(p.port);
          dockerServed.set(v.image.file, set);
        }
      }
    }
    for (const s of model.services.values()) {
      for (const v of s.views.values()) {
        const served = v.image ? dockerServed.get(v.image.file) : undefined;
        if (!v.image || !served || served.size === 0) continue;
        // Kubernetes ignores HEALTHCHECK, and a compose healthcheck replaces it.
        if (v.workloads.length > 0 || v.compose?.service.hasHealthcheck) continue;
        for (const h of v.image.healthchecks) {
          if (!isSelfHost(h.host, v) || h.port.port === undefined || served.has(h.port.port)) continue;
          const only = [...served].sort((a, b) => a - b);
          out.add(h.port.loc, v.env, {
            service: s.name,
            message: `HEALTHCHECK connects to port ${h.port.port} but ${s.name} listens on ${list(only)}`,
            related: v.declared.map((d) => ({ loc: d.loc, message: `${s.name} container port ${d.port} in ${v.env}` })),
            fix: only.length === 1 && h.port.literal ? { title: `Check port ${only[0]} instead`, edits: [{ loc: h.port.loc, newText: String(only[0]) }] } : undefined,
          });
        }
      }
    }
    return out.entries().map(({ loc, envs, data }) => ({ rule: 'probe-port', message: data.message, loc, service: data.service, environment: envs.join(','), related: data.related, fix: data.fix }) satisfies RawFinding);
  },
});
