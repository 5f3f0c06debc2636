// Compose host names: a service's name, container_name and aliases reach it on its project's network,
// from the project's other services in the same environment, on its container ports.
import { HostTable } from '../../join';
import type { HostAsk, Hosts } from '../../join';
import type { EnvView, Model } from '../../model-types';
import { imageOf } from '../dockerfile/join';
import { composeOf } from './join';

export function composeHosts(model: Model, ask: HostAsk): Hosts {
  /** `env|project folder|host` → the target's view. */
  const byHost = new Map<string, EnvView>();
  // Main views first: a variant's name reaches the main definition where both are there.
  for (const variants of [false, true]) {
    for (const m of model.services.values()) {
      for (const v of m.views.values()) {
        const c = composeOf(v);
        if (!c || (v.variant !== undefined) !== variants) continue;
        for (const dir of [c.dir, ...(c.also ?? [])]) for (const host of [c.service.name, c.service.containerName, ...c.service.aliases]) if (host && !byHost.has(`${v.env}|${dir}|${host}`)) byHost.set(`${v.env}|${dir}|${host}`, v);
      }
    }
  }
  return new HostTable(byHost, (table, caller, host, port) => {
    const own = composeOf(caller);
    const c = own ? table.get(`${caller.env}|${own.dir}|${host}`) : undefined;
    if (!c) return undefined;
    if (c.service === caller.service) return 'self';
    const served = ask.servedPorts(c);
    // What the target serves is judged only where the workspace can know it (see judged).
    const serves = served.has(port) || judged(c, port, ask.saysWhere(c)) ? [...served] : [];
    return { target: c.service, via: 'compose', verb: 'listens on', portKind: 'container', serves, servesAt: c.declared.map((d) => d.loc) };
  });
}

/**
 * Whether a connection to `port` (a reference, a healthcheck), which the Compose target does not declare, can be judged. Where the
 * image is built in the workspace the workspace knows what it serves; where a stock image's own command
 * or port variable is all that says where it listens (no ports, no expose), that is taken as its word. A stock image with nothing but `ports` and `expose` is another
 * matter: those say what is published or exposed, not all it listens on (kafka's internal listener,
 * n8n's task broker on 5679 beside its UI on 5678), and Compose needs no declaration for one container to
 * reach another. There only the classic mistake is certain: a host-published port used on the Compose
 * network (`db:15432` where `"15432:5432"`).
 */
export function judged(c: EnvView, port: number, saysWhere: boolean): boolean {
  const svc = composeOf(c)?.service;
  if (!svc || svc.build || imageOf(c)) return true;
  // A stock image's port variable or flag names its main port, not every port it opens (n8n's N8N_PORT=5678
  // beside its task broker on 5679): only what the image is told to do on its own terms is certain.
  if (saysWhere && svc.ports.length === 0 && svc.expose.length === 0) return true;
  return svc.ports.some((p) => p.host?.port !== undefined && port >= p.host.port && port < p.host.port + p.count);
}
