// The format-blind view of a service in one environment: every format's parts of it (contributions.ts),
// gathered. Hovers, references, fixes and the rules that ask "which variables does the process see",
// "which command runs" or "which tokens carry the internal port" read these, never a format's fields.
import type { LoweredParts } from './contributions';
import { emptyLowering } from './contributions';
import { FORMATS } from './formats/registry';
import type { EnvView } from './model';
import type { CommandInfo, EnvVar, PortPart } from './types';

const cache = new WeakMap<EnvView, LoweredParts>();
const portCache = new WeakMap<EnvView, PortPart[]>();

/**
 * Every format's parts of a view but its port tokens (variables, commands, files), in registry order.
 * Views do not change once built: computed once per view.
 */
export function partsOf(v: EnvView): LoweredParts {
  const hit = cache.get(v);
  if (hit) return hit;
  const out = emptyLowering();
  for (const p of [...FORMATS.map((f) => f.lower?.(v)), ...v.processes.map((x) => x.parts)]) {
    if (!p) continue;
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

/**
 * Every port token of a view: the declared internal ports first (so a hover names a token by the role
 * that made it the internal port), then each format's, in registry order. Only hovers, references,
 * fixes and rules about tokens ask: a check that needs none never builds them.
 */
export function portParts(v: EnvView): PortPart[] {
  const hit = portCache.get(v);
  if (hit) return hit;
  const out: PortPart[] = v.declared.map((d) => ({ role: 'listens', loc: d.loc, port: d.port, literal: d.literal, text: d.text, internal: true, aligns: true }));
  for (const f of FORMATS) if (f.ports) out.push(...f.ports(v));
  for (const x of v.processes) out.push(...x.parts.ports);
  portCache.set(v, out);
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
  const parts = partsOf(v).commands.filter((c) => !c.callsOnly);
  const own = parts.filter((c) => c.from === 'orchestrator');
  return (own.length ? own : parts.filter((c) => c.from === 'image')).map((c) => c.command);
}

/**
 * The start commands whose arguments may call other services: the effective ones, but where an
 * orchestrator's arguments only call others (`--upstream=http://api:8080`), those run in place of the
 * image's command: read them, not it.
 */
export function callingCommands(v: EnvView): CommandInfo[] {
  const calls = partsOf(v).commands.filter((c) => c.callsOnly);
  const cmds = effectiveCommands(v);
  if (calls.length === 0) return cmds;
  const image = new Set(partsOf(v).commands.filter((c) => c.from === 'image').map((c) => c.command));
  return [...cmds.filter((c) => !image.has(c)), ...calls.map((c) => c.command).filter((c) => !cmds.includes(c))];
}

/** Every file whose facts make up the view. */
export function viewFiles(v: EnvView, out: Set<string>): void {
  for (const f of partsOf(v).files) out.add(f);
  for (const d of v.declared) out.add(d.loc.file);
}
