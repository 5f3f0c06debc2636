// What a Compose service contributes to its view: its environment and env_files, its command and
// entrypoint, the loopback it shares; and its port tokens (published ports, port variables, listening
// flags, healthchecks).
import type { EnvView } from '../../model-types';
import { emptyLowering, PRECEDENCE } from '../../contributions';
import type { LoweredParts, PortPart } from '../../contributions';
import type { ComposeService } from '../../types';
import { isOwnPortVar, isSelfHost } from '../../port-names';
import { composeOf, envFileVarsOf, startsByDefault } from './join';

export function lowerCompose(v: EnvView): LoweredParts | undefined {
  const c = composeOf(v);
  const envFileVars = envFileVarsOf(v);
  if (!c && envFileVars.length === 0) return undefined;
  const out = emptyLowering();
  const s = c?.service;
  out.vars.push({ layer: 'compose env_file', precedence: PRECEDENCE.orchestratorFiles, vars: envFileVars });
  if (s) {
    out.vars.push({ layer: 'compose environment', precedence: PRECEDENCE.orchestrator, vars: s.environment });
    for (const c of [s.entrypoint, s.command]) if (c) out.commands.push({ command: c, from: 'orchestrator' });
  }
  out.files.push(...(c?.files ?? []), ...envFileVars.map((e) => e.valueLoc.file));
  // `network_mode: host` shares the host's loopback.
  if (s?.networkModeHost) out.sharedLoopback = true;
  if (s && c) {
    out.hosts = names(s);
    out.anchors = [s.nameLoc];
    out.project = c.dir;
  }
  return out;
}

/** The names the service answers to on the project's network. */
function names(s: ComposeService): string[] {
  return [s.name, ...(s.containerName ? [s.containerName.toLowerCase()] : []), ...s.aliases];
}

/** The container side of a mapping and `expose`: they declare the internal port. */
export function composeDeclares(v: EnvView): PortPart[] {
  const s = composeOf(v)?.service;
  const out: PortPart[] = [];
  for (const p of s?.ports ?? []) if (p.container.port !== undefined) out.push({ role: 'listens', loc: p.container.loc, port: p.container.port, literal: p.container.literal, text: 'compose container port', internal: true, aligns: true, declares: true, protocol: p.protocol, through: p.count > 1 ? p.container.port + p.count - 1 : undefined });
  for (const e of s?.expose ?? []) if (e.port !== undefined) out.push({ role: 'listens', loc: e.loc, port: e.port, literal: e.literal, text: 'compose expose', internal: true, aligns: true, declares: true, protocol: e.protocol });
  return out;
}

export function composePorts(v: EnvView): PortPart[] {
  const out: PortPart[] = [];
  const s = composeOf(v)?.service;
  out.push(...composeDeclares(v));
  for (const p of s?.ports ?? []) if (p.host) out.push({ role: 'published', loc: p.host.loc, port: p.host.port, literal: p.host.literal, text: 'host-published port, not internal', internal: false, aligns: false });
  for (const e of s?.environment ?? []) if (e.port !== undefined && isOwnPortVar(e.name, v.service)) out.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable`, internal: true, aligns: true });
  for (const c of [s?.command, s?.entrypoint]) for (const p of c?.ports ?? []) out.push({ role: 'listens', loc: p.loc, port: p.port, literal: p.literal, text: `listening flag ${p.flag}`, internal: p.primary, aligns: p.primary });
  for (const h of s?.healthchecks ?? []) out.push({ role: 'probed', loc: h.port.loc, port: h.port.port, literal: h.port.literal, text: `healthcheck port (${h.host ?? 'localhost'})`, internal: true, aligns: isSelfHost(h.host, [v.service, ...(s ? names(s) : [])]) });
  for (const e of envFileVarsOf(v)) if (e.port !== undefined && isOwnPortVar(e.name, v.service)) out.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable (env_file)`, internal: true, aligns: true });
  return out;
}

/** The compose service a view runs, its project, and the env_files it loads (`port-parity explain`). */
export function explainCompose(v: EnvView): { file: string; what: string }[] {
  const c = composeOf(v);
  const out: { file: string; what: string }[] = [];
  if (c) {
    const more = c.files.length > 1 ? `, merged with ${c.files.slice(1).join(', ')}` : '';
    const variant = v.foreign ? '; another project\'s service of this name: judged on its own, never against the reference' : c.variant !== undefined ? `; a variant: ${c.variant} defines the service too` : '';
    const inherits = c.service.inherits?.length ? `, extending ${c.service.inherits.map((i) => `${i.service} (${i.file})`).join(', ')}` : '';
    const included = c.included ? ', included by the project' : c.also?.length ? `, included by the project in ${c.also.map((d) => d || '.').join(', ')} too` : '';
    const profiles = c.service.profiles?.length ? `; profiles ${c.service.profiles.join(', ')}: ${startsByDefault(c) ? 'started by the project\'s COMPOSE_PROFILES' : 'not started by default'}` : '';
    out.push({ file: c.files[0], what: `compose service "${c.service.name}" of the project in ${c.dir || '.'}${more}${inherits}${included}${variant}${profiles}` });
  }
  for (const f of new Set(envFileVarsOf(v).map((e) => e.valueLoc.file))) out.push({ file: f, what: 'an env_file of its compose service' });
  return out;
}
