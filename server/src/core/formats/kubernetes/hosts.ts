// Kubernetes host names: a Service's DNS name (`api`, `api.shop`, `api.shop.svc.cluster.local`) reaches
// the pods it selects, from the same namespace by its short name, on the Service's ports (a headless
// Service's: the pods' container ports).
import { HostTable } from '../../join';
import type { Hosts } from '../../join';
import type { Model } from '../../model-types';
import type { Loc } from '../../types';
import { k8sIndex, workloadsOf } from './join';

interface ServiceHost {
  owner?: string;
  ports: number[];
  locs: Loc[];
  name: string;
}

export function kubernetesHosts(model: Model): Hosts {
  /** `env|namespace|name` → the Service, its ports and the service it selects. */
  const byName = new Map<string, ServiceHost>();
  for (const [env, units] of k8sIndex(model).servicesByEnv) {
    for (const u of units) {
      // An ExternalName Service is an alias for a host outside the workspace: nothing to judge.
      if (u.svc.externalName) continue;
      // A headless Service (clusterIP: None) resolves to the pods: callers connect on the container ports.
      const pods = u.svc.headless ? u.selected.flatMap((w) => w.main?.ports ?? []).filter((p) => p.containerPort.port !== undefined) : [];
      byName.set(`${env}|${u.svc.namespace}|${u.svc.name}`, {
        owner: u.selected[0]?.service,
        ports: u.svc.headless ? pods.map((p) => p.containerPort.port as number) : u.svc.ports.map((p) => p.port.port).filter((p): p is number => p !== undefined),
        locs: u.svc.headless ? pods.map((p) => p.containerPort.loc) : u.svc.ports.map((p) => p.port.loc),
        name: u.svc.name,
      });
    }
  }
  return new HostTable(byName, (table, caller, host) => {
    const sh = serviceHost(host);
    if (!sh) return undefined;
    for (const ns of sh.ns ? [sh.ns] : [...new Set(workloadsOf(caller).map((w) => w.workload.namespace))]) {
      const k = table.get(`${caller.env}|${ns}|${sh.name}`);
      if (!k) continue;
      if (k.owner === caller.service) return 'self';
      return { target: k.owner ?? k.name, via: 'kubernetes', verb: 'serves', portKind: 'Service', serves: k.ports, servesAt: k.locs };
    }
    return undefined;
  });
}

/** `name`, `name.namespace`, `name.namespace.svc`, `name.namespace.svc.cluster.local`. */
function serviceHost(host: string): { name: string; ns?: string } | undefined {
  const parts = host.toLowerCase().replace(/\.$/, '').split('.');
  if (parts.length === 1) return { name: parts[0] };
  if (parts.length === 2 || (parts[2] === 'svc' && (parts.length === 3 || parts.slice(3).join('.') === 'cluster.local'))) return { name: parts[0], ns: parts[1] };
  return undefined;
}
