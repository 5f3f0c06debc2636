// Where one container of a pod listens: its own ports, flags and port variables, and for the service's
// own container what its image says (the start command it keeps, its ENV, and EXPOSE where the
// container declares nothing), read from the view's image parts, whatever format built the image.
import { PRECEDENCE } from '../../contributions';
import type { EnvView } from '../../model-types';
import { declaringParts, partsOf } from '../../parts';
import { isServedPortVar } from '../../port-names';
import type { K8sContainer } from '../../types';

/**
 * Every port a container is known to listen on; empty when nothing says (then nothing is "wrong").
 * `tcpOnly`: leave out UDP and SCTP container ports (probes connect over TCP).
 */
export function servedBy(v: EnvView | undefined, c: K8sContainer, isMain: boolean, tcpOnly = false): Set<number> {
  const s = new Set<number>();
  const extra = new Set<number>();
  const own = (name: string): boolean => isServedPortVar(name, v?.service ?? c.name);
  for (const p of c.ports) if (p.containerPort.port !== undefined && (!tcpOnly || p.protocol === 'TCP')) s.add(p.containerPort.port);
  for (const p of c.command.ports) if (p.port !== undefined) (p.primary ? s : extra).add(p.port);
  for (const e of c.env) if (e.port !== undefined && own(e.name)) s.add(e.port);
  if (isMain && v) fromImage(v, c, s, extra, own, tcpOnly);
  // A secondary flag's port (`-metricsPort=9091`, an admin or health address) is served too, but alone
  // it does not say which ports the process serves: with no other evidence the set stays empty (unknown).
  if (s.size > 0) for (const p of extra) s.add(p);
  return s;
}

/** What the image says where the service's own container keeps its start command and ENV. */
function fromImage(v: EnvView, c: K8sContainer, s: Set<number>, extra: Set<number>, own: (name: string) => boolean, tcpOnly: boolean): void {
  const parts = partsOf(v);
  // EXPOSE is documentation: it counts only where the container declares nothing itself.
  if (c.ports.length === 0) {
    for (const e of declaringParts(v)) {
      if (e.role !== 'exposed' || e.port === undefined || (tcpOnly && (e.protocol ?? 'TCP') !== 'TCP')) continue;
      for (let p = e.port; p <= (e.through ?? e.port); p++) s.add(p);
    }
  }
  for (const cmd of parts.commands) if (cmd.from === 'image') for (const p of cmd.command.ports) if (p.port !== undefined) (p.primary ? s : extra).add(p.port);
  for (const layer of parts.vars) if (layer.precedence === PRECEDENCE.image) for (const e of layer.vars) if (e.port !== undefined && own(e.name)) s.add(e.port);
}
