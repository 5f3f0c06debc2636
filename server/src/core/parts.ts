// The format-blind view of a service in one environment: what each format contributes to it, lowered by
// the format's plug-in into role-tagged parts (ports with their role, variables with their layer,
// start commands). Hovers, references, fixes and the rules that ask "which variables does the process
// see", "which command runs" or "which tokens carry the internal port" read these, never a format's fields.
import { FORMATS } from './formats/registry';
import type { EnvView } from './model';
import type { CommandInfo, EnvVar, Loc } from './types';

/**
 * What a port token does for the service: the process listens there (containerPort, a PORT variable,
 * a listening flag), a platform publishes it outside, documents it (EXPOSE), probes it, routes to it
 * (a Service targetPort, a platform's internal port), scrapes it, or forwards it.
 */
export type PortRole = 'listens' | 'published' | 'exposed' | 'probed' | 'routed-to' | 'scraped' | 'forwarded';

/** A port token of a view, with its exact range. */
export interface PortPart {
  role: PortRole;
  loc: Loc;
  port?: number;
  /** The token is exactly the decimal number: a fix may replace it. */
  literal: boolean;
  /** In words, as a hover says it: "container port", "Dockerfile EXPOSE", "PORT variable (.env)". */
  text: string;
  /** The token carries the service's own internal port (hovers and references list it as one). */
  internal: boolean;
  /** Moving the service's internal port edits this token (it says where the process itself listens). */
  aligns: boolean;
  /**
   * The format declares the service's internal port here (a platform's internal port), as a
   * containerPort does: the model's declared ports (the matrix, port-parity) take it.
   */
  declares?: boolean;
}

/** Variables that reach the process, and how strongly: a higher precedence hides a lower one of the same name. */
export interface VarsPart {
  /** Where they are set, in words: "Dockerfile ENV", ".env", "compose environment". */
  layer: string;
  precedence: number;
  vars: EnvVar[];
}

/** Precedences of the layers every format places its variables in (a new format picks the one it is). */
export const PRECEDENCE = {
  /** A .env file in the service's folder, read by the application itself. */
  appDotenv: 10,
  /** The image's ENV. */
  image: 20,
  /** A platform manifest's environment (fly.toml `[env]`), set over the image's. */
  platform: 30,
  /** Files the orchestrator loads (compose env_file). */
  orchestratorFiles: 40,
  /** The orchestrator's own settings (compose environment, Kubernetes env and ConfigMaps). */
  orchestrator: 50,
} as const;

/** A start command: the orchestrator's, where it sets one that counts, runs in place of the image's. */
export interface CommandPart {
  command: CommandInfo;
  from: 'orchestrator' | 'image';
}

/** What one format contributes to one view. */
export interface ViewParts {
  ports: PortPart[];
  vars: VarsPart[];
  commands: CommandPart[];
  /** The files the view's facts came from in this format (what an edit of them may change). */
  files: string[];
}

/**
 * A process a format declares on its own (a platform manifest's app): who it is, and its parts. The
 * model joins it with the other formats' facts by its identity keys.
 */
export interface ProcessContribution {
  /** The service name it goes by. */
  service: string;
  nameLoc: Loc;
  /** The image it runs (`registry/api:1.2`): joins a workload or compose service running the same. */
  image?: string;
  /** The Dockerfile it builds, relative to the file's folder: joins that Dockerfile and whoever else builds it. */
  build?: { context: string; dockerfile?: string };
  /** The environment when the file's path names none (a platform manifest deploys: `production`). */
  defaultEnv?: string;
  parts: ViewParts;
}

export function emptyParts(): ViewParts {
  return { ports: [], vars: [], commands: [], files: [] };
}

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
