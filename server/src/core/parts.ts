// The format-blind view of a service in one environment: every format's parts of it (contributions.ts),
// gathered. Hovers, references, fixes and the rules that ask "which variables does the process see",
// "which command runs" or "which tokens carry the internal port" read these, never a format's fields.
import type { ViewParts } from './contributions';
import { emptyParts } from './contributions';
import { FORMATS } from './formats/registry';
import type { EnvView } from './model';
import type { CommandInfo, EnvVar } from './types';

export { emptyParts, PRECEDENCE } from './contributions';
export type { CommandPart, PortPart, PortRole, ProcessContribution, VarsPart, ViewParts } from './contributions';

const cache = new WeakMap<EnvView, ViewParts>();

/**
 * Every format's parts of a view, in registry order, after the declared internal ports (which come
 * first, so a hover names a token by the role that made it the internal port). Views do not change
 * once built: computed once per view.
 */
export function partsOf(v: EnvView): ViewParts {
  const hit = cache.get(v);
  if (hit) return hit;
  const out = emptyParts();
  for (const d of v.declared) out.ports.push({ role: 'listens', loc: d.loc, port: d.port, literal: d.literal, text: d.text, internal: true, aligns: true });
  for (const p of [...FORMATS.map((f) => f.lower?.(v)), ...v.processes.map((x) => x.parts)]) {
    if (!p) continue;
    out.ports.push(...p.ports);
    out.vars.push(...p.vars);
    out.commands.push(...p.commands);
    out.files.push(...p.files);
    if (p.sharedLoopback) out.sharedLoopback = true;
  }
  // Stable: within one precedence, the order the formats gave.
  out.vars.sort((a, b) => a.precedence - b.precedence);
  cache.set(v, out);
  return out;
}

/** The variables the process sees, the strongest of each name. */
export function effectiveVars(v: EnvView): Map<string, EnvVar> {
  const hit = varsCache.get(v);
  if (hit) return hit;
  const out = new Map<string, EnvVar>();
  for (const layer of partsOf(v).vars) for (const e of layer.vars) out.set(e.name, e);
  varsCache.set(v, out);
  return out;
}

const varsCache = new WeakMap<EnvView, Map<string, EnvVar>>();

/** The start commands that run: the orchestrator's where it sets one that counts, else the image's. */
export function effectiveCommands(v: EnvView): CommandInfo[] {
  const parts = partsOf(v).commands;
  const own = parts.filter((c) => c.from === 'orchestrator');
  return (own.length ? own : parts.filter((c) => c.from === 'image')).map((c) => c.command);
}

/** Every file whose facts make up the view. */
export function viewFiles(v: EnvView, out: Set<string>): void {
  for (const f of partsOf(v).files) out.add(f);
  for (const d of v.declared) out.add(d.loc.file);
}
