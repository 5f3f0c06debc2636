// Fixes that span environments: align a whole service to its reference ports.
import type { EnvView, Model } from './model';
import { alignEdits, list, referencePorts } from './query';
import { movedPorts } from './rules/port-parity';
import type { Fix } from './types';

/** "Align api in all environments to 8080": every environment that moved a port, back to the reference. */
export function alignServiceFix(model: Model, service: string): Fix | undefined {
  const s = model.services.get(service);
  if (!s) return undefined;
  const ref = referencePorts(s);
  if (!ref) return undefined;
  const refDecls = ref.env ? (s.views.get(ref.env) as EnvView).declared : [];
  const edits = [];
  const targets = new Set<number>();
  for (const v of s.views.values()) {
    if (!s.contract && v.env === ref.env) continue;
    for (const [from, to] of movedPorts(v.declared, ref.ports, refDecls)) {
      targets.add(to);
      edits.push(...alignEdits(model, v, from, to));
    }
  }
  if (edits.length === 0) return undefined;
  return { title: `Align ${service} in all environments to ${list([...targets])} (as in ${ref.label})`, edits };
}
