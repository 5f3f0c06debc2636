// The model's types, a leaf: which services there are, in which environments, what each view holds and
// declares. buildModel (model.ts) makes them; formats, rules and features read them.
import type { Config, ContractEntry } from './config';
import type { FileFacts, Loc, ProcessContribution, Protocol } from './types';

/** What part a port declaration plays: where the process listens, where traffic is routed to, or EXPOSE (documentation). */
export type Role = 'listens' | 'routed' | 'expose';

/** One place that declares a service's internal port. */
export interface PortDecl {
  port: number;
  protocol: Protocol;
  name?: string;
  role: Role;
  /** The role in words, as a hover says it. */
  text: string;
  loc: Loc;
  literal: boolean;
}

/** One service in one environment. */
export interface EnvView {
  service: string;
  env: string;
  /**
   * Set for a second definition of the service in this environment (another compose file of the folder
   * defines it too): what defines it, in words (the file). Views are keyed by environment, a variant's by
   * `variantKey(env, variant)`; rules judge every view, the matrix shows variants as sub-rows.
   */
  variant?: string;
  /**
   * The variant is another project's service of the same name (a second folder's stack, or one of a
   * folder's separate stacks), not a second definition within one: it is judged on its own (its probes,
   * its ports against its own declarations) but never compared with the service's reference.
   */
  foreign?: boolean;
  /** The Dockerfiles this view's definition builds (a compose service's `build:`): its image goes to this view, not another project's. */
  builds?: Set<string>;
  /** Each format's units of the service here, by format (read with that format's accessors: `composeOf(v)`). */
  units: Map<string, unknown>;
  /** Processes that format plug-ins declare on their own (a platform manifest's app), joined by identity. */
  processes: ProcessContribution[];
  /** The internal port declarations: where the process listens; else where traffic is routed to; else EXPOSE. */
  declared: PortDecl[];
}

export interface ServiceModel {
  /** The service's key: its name, `application/name` where the workspace holds several applications. */
  name: string;
  /** Where the workspace holds several applications: the service's, and its name within it. */
  application?: { name: string; service: string };
  views: Map<string, EnvView>;
  contract?: ContractEntry;
  /** The environment that decides what "aligned" means (when there is no contract). */
  reference?: string;
}

export interface Model {
  /** What a partial model of this workspace must share with it. */
  context: ModelContext;
  /** A model of part of the workspace: checks about the whole (a contract naming no service) do not run. */
  partial: boolean;
  config: Config;
  envs: string[];
  services: Map<string, ServiceModel>;
  facts: Map<string, FileFacts>;
  /** The one environment a file belongs to, or undefined for a base file shared by several. */
  fileEnv: Map<string, string | undefined>;
  /** fileEnv, falling back to the path's markers for a file this model did not read (a partial model). */
  envOfFile: (file: string) => string | undefined;
  /** Each format's indexes of the whole (Kubernetes objects by environment), read with its accessors. */
  indexes: Map<string, unknown>;
}

/**
 * What a model of part of a workspace must take from the whole: which environments exist, which of
 * them unmarked manifests apply to, and the one orchestrated service a root Dockerfile belongs to.
 */
export interface ModelContext {
  envs: string[];
  envSet: string[];
  baseEnvs: string[];
  soleService?: string;
  /** The compose folders that root the workspace's applications (see applications.ts). */
  appRoots: string[];
  /**
   * The environments each mark (`workload:api`, `image:api`) has marked units in: an unmarked unit goes
   * to the others only, whichever of the service's files a part reads.
   */
  marked: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The services a name written by a user names (a contract entry, `--service`): the service of that key
 * (`shop/api`), else every application's service of that name (`api`).
 */
export function servicesNamed(model: Pick<Model, 'services'>, name: string): ServiceModel[] {
  const s = model.services.get(name);
  return s ? [s] : [...model.services.values()].filter((x) => x.application?.service === name);
}

/** The distinct internal ports of a view, in order of first declaration. */
export function portSet(decls: PortDecl[]): number[] {
  return [...new Set(decls.map((d) => d.port))];
}
