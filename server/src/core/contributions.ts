// What format plug-ins need to build their contributions (the types are in types.ts): the precedence of
// each variable layer, and an empty set of parts. A leaf module: plug-ins import it, parts.ts gathers.
import type { LoweredParts, ViewParts } from './types';

export type { CommandPart, LoweredParts, PortPart, PortRole, ProcessContribution, VarsPart, ViewParts } from './types';

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

export function emptyParts(): ViewParts {
  return { ports: [], vars: [], commands: [], files: [] };
}

/** Nothing lowered yet: what a format's `lower(view)` fills. */
export function emptyLowering(): LoweredParts {
  return { vars: [], commands: [], files: [] };
}
