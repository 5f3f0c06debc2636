// The format-blind view of a service in one environment: every format's parts of it (contributions.ts),
// gathered. Hovers, references, fixes and the rules that ask "which variables does the process see",
// "which command runs" or "which tokens carry the internal port" read these, never a format's fields.
import type { LoweredParts } from './contributions';
import { emptyLowering } from './contributions';
import { FORMATS } from './formats/registry';
import type { EnvView, Model } from './model-types';
import { isSelfHost as selfHost, isServedPortVar } from './port-names';
import type { CommandInfo, EnvVar, Loc, PortPart } from './types';

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
    if (p.hosts) out.hosts = [...(out.hosts ?? []), ...p.hosts];
    if (p.project !== undefined) out.project ??= p.project;
    if (p.anchors) out.anchors = [...(out.anchors ?? []), ...p.anchors];
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
  const declared = new Set(v.declared.map((d) => `${d.loc.file}|${d.loc.start}`));
  for (const p of formatPortParts(v)) if (!(p.declares && declared.has(`${p.loc.file}|${p.loc.start}`))) out.push(p);
  portCache.set(v, out);
  return out;
}

/** The port tokens each format gives a view, in registry order, then those of the processes platform manifests declare. */
export function formatPortParts(v: EnvView): PortPart[] {
  const hit = formatCache.get(v);
  if (hit) return hit;
  const out: PortPart[] = [];
  for (const f of FORMATS) if (f.ports) out.push(...f.ports(v));
  for (const x of v.processes) out.push(...x.parts.ports);
  formatCache.set(v, out);
  return out;
}

const formatCache = new WeakMap<EnvView, PortPart[]>();

/** The port tokens that declare the view's internal port (containerPort, compose container port, EXPOSE, a platform's), without the others' texts. */
export function declaringParts(v: EnvView): PortPart[] {
  const hit = declaringCache.get(v);
  if (hit) return hit;
  const out: PortPart[] = [];
  for (const f of FORMATS) if (f.declares) out.push(...f.declares(v));
  for (const x of v.processes) for (const p of x.parts.ports) if (p.declares) out.push(p);
  declaringCache.set(v, out);
  return out;
}

const declaringCache = new WeakMap<EnvView, PortPart[]>();

/** One piece of evidence of where a process listens, with the token that says it. */
export interface Listening {
  port: number;
  loc: Loc;
  /** What says it, in words: "the start command's --port", "PORT=8080", "Dockerfile EXPOSE 8080". */
  said: string;
  /**
   * `declared`: a port the orchestrator declares the process listens on (a containerPort, a compose
   * container port or expose); `command`/`variable`: the process's own start command or port variable;
   * `exposed`: EXPOSE, documentation, the weakest word.
   */
  by: 'declared' | 'command' | 'variable' | 'exposed';
}

/**
 * Where the process of a view listens, as far as its files say: the ports declared for it, its start
 * command's listening flags and its port variables (the effective ones), and, only where none of those
 * says anything, its image's EXPOSE. Ranges give every port. `tcpOnly` leaves out UDP and SCTP ports;
 * `declared: false` asks what the process itself says (to judge a declaration against it).
 */
export function listening(v: EnvView, { tcpOnly = false, declared = true } = {}): Listening[] {
  const out: Listening[] = [];
  const tcp = (p: PortPart): boolean => !tcpOnly || (p.protocol ?? 'TCP') === 'TCP';
  const range = (p: PortPart, by: Listening['by'], said: string): void => {
    for (let n = p.port as number; n <= (p.through ?? (p.port as number)); n++) out.push({ port: n, loc: p.loc, said, by });
  };
  if (declared) for (const p of declaringParts(v)) if (p.role === 'listens' && p.port !== undefined && tcp(p)) range(p, 'declared', `${p.text} ${p.port}`);
  // A secondary flag (`-metricsPort=9091`, an admin address) is served too, but alone it does not say where the process listens.
  const secondary: Listening[] = [];
  for (const c of effectiveCommands(v)) for (const p of c.ports) if (p.port !== undefined) (p.primary ? out : secondary).push({ port: p.port, loc: p.loc, said: `the start command's ${p.flag}`, by: 'command' });
  for (const e of effectiveVars(v).values()) if (e.port !== undefined && isServedPortVar(e.name, v.service)) out.push({ port: e.port, loc: e.valueLoc, said: `${e.name}=${e.port}`, by: 'variable' });
  if (out.length === 0) for (const p of declaringParts(v)) if (p.role === 'exposed' && p.port !== undefined && tcp(p)) range(p, 'exposed', `${p.text} ${p.through ? `${p.port}-${p.through}` : p.port}`);
  return out.length > 0 ? [...out, ...secondary] : out;
}

/**
 * Two views of a service that different stacks run: projects in different folders, neither of which an
 * environment marks (seaweedfs's docker/compose/ demo stacks and docker/admin_integration/'s test
 * stack). Their ports are each stack's own; comparing them says nothing about drift. Folders an
 * environment marks (deploy/staging/, deploy/production/) are one application's environments.
 */
export function apartStacks(model: Pick<Model, 'envOfFile'>, a: EnvView, b: EnvView): boolean {
  const pa = partsOf(a).project;
  const pb = partsOf(b).project;
  // A folder marks an environment when a file in it would be marked by its path.
  const marked = (dir: string): boolean => model.envOfFile(dir ? `${dir}/x` : 'x') !== undefined;
  return pa !== undefined && pb !== undefined && pa !== pb && !marked(pa) && !marked(pb);
}

/** Whether the process's own start command or port variables say where it listens (not only declarations or EXPOSE). */
export function saysWhere(v: EnvView): boolean {
  return listening(v, { declared: false }).some((l) => l.by === 'command' || l.by === 'variable');
}

/** A health check host that means "this container": loopback, any-address, or a name the service goes by. */
export function isSelfHost(host: string | undefined, v: EnvView): boolean {
  return selfHost(host, [v.service, ...(partsOf(v).hosts ?? [])]);
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
