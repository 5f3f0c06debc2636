// The join's shared state and vocabulary, format-blind: which names, images and builds are one service
// (identity), which folders belong to whom, and where a format's units are placed (environments). Each
// format plug-in's `join` (formats/<id>/join.ts) reads its facts into placements with this; buildModel
// (model.ts) runs the plug-ins in order and places what they give.
import { posix } from 'node:path';
import { qualified } from './applications';
import type { Applications } from './applications';
import { DEFAULT_ENV } from './environments';
import type { EnvMatcher } from './environments';
import { dirOf } from './paths';
import type { EnvView, Model, ModelContext, ServiceModel } from './model-types';
import type { ContributedFacts, EnvVar, FileFacts, Loc, ProcessContribution } from './types';

export interface BuildLink {
  key: string;
  target?: string;
  args: Record<string, string>;
  envs: Set<string>;
}

/** The state the plug-ins' joins share. */
export class Join {
  /** The one environment a file belongs to, or undefined for a base file shared by several. */
  readonly fileEnv = new Map<string, string | undefined>();
  /** Names and aliases that join a compose service, a workload and a Dockerfile → the service key. */
  private readonly alias = new Map<string, string>();
  /** A Dockerfile may be built by several services (api and worker from one image), in several environments. */
  readonly builtBy = new Map<string, BuildLink[]>();
  /** Folders that hold a service's own files (its Dockerfile) → the service. */
  readonly dirOwner = new Map<string, string>();
  /** Project folders whose `.env` only interpolates the project's files (a compose project's). */
  readonly projectDirs = new Set<string>();
  /** Each service key's application and plain name, where identities are scoped by application. */
  readonly identity = new Map<string, { application: string; name: string }>();
  /** Image names a compose project builds → the services that build them: evidence for files outside every application. */
  private readonly built = new Map<string, Set<string>>();
  constructor(
    readonly matcher: EnvMatcher,
    readonly apps: Applications,
  ) {}
  marked(file: string): string | undefined {
    return this.matcher.envOf(file);
  }
  /** The application a file belongs to (undefined: the workspace's own, or identities are not scoped). */
  appOf(file: string): string | undefined {
    return this.apps.multi ? this.apps.of(file) : undefined;
  }
  /** The key of the first of the names claimed in the workspace's own scope. */
  keyOf(...names: (string | undefined)[]): string | undefined {
    return this.keyIn(undefined, ...names);
  }
  claim(key: string, ...names: (string | undefined)[]): void {
    this.claimIn(undefined, key, ...names);
  }
  /** The key of the first of the names claimed in `app`'s scope (a built Dockerfile's alias is the workspace's: its path is its identity). */
  keyIn(app: string | undefined, ...names: (string | undefined)[]): string | undefined {
    for (const n of names) {
      const k = n && this.alias.get(scoped(app, n));
      if (k) return k;
    }
    return undefined;
  }
  claimIn(app: string | undefined, key: string, ...names: (string | undefined)[]): void {
    for (const n of names) if (n && !this.alias.has(scoped(app, n))) this.alias.set(scoped(app, n), key);
  }
  /** A new service's key: the name, with its application where identities are scoped. */
  newKey(app: string | undefined, name: string): string {
    const key = qualified(this.apps, app, name);
    if (key !== name && app !== undefined) this.identity.set(key, { application: app, name });
    return key;
  }
  /** `key` builds the image `image` (a compose service's `build:`, by its `image:` or else the service's name). */
  buildsImage(image: string | undefined, key: string): void {
    if (image) this.built.set(image, (this.built.get(image) ?? new Set()).add(key));
  }
  /** Outside every application: the one service whose compose project builds one of these images, if only one does. */
  byEvidence(app: string | undefined, images: (string | undefined)[]): string | undefined {
    if (!this.apps.multi || app !== undefined) return undefined;
    const keys = new Set(images.flatMap((i) => [...((i && this.built.get(i)) || [])]));
    return keys.size === 1 ? [...keys][0] : undefined;
  }
  /** The names (and image names) claimed so far in `app`'s scope that end with `suffix`, each with its service key; `build:` aliases are no names. */
  namesEndingWith(app: string | undefined, suffix: string): [string, string][] {
    const prefix = scoped(app, '');
    return [...this.alias].flatMap(([n, k]): [string, string][] => (n.startsWith(prefix) && n.endsWith(suffix) && !n.startsWith('build:') && (app !== undefined || !n.includes('\u0000')) ? [[n.slice(prefix.length), k]] : []));
  }
  /** The service keys claimed so far (the orchestrated services, once compose and Kubernetes are joined). */
  keys(): Set<string> {
    return new Set(this.alias.values());
  }
  /** `key` builds the Dockerfile `df` in `env` (with a build target and args); others building it join `key`. */
  builds(df: string, key: string, env: string, target?: string, args: Record<string, string> = {}): void {
    this.claim(key, buildAlias(df));
    const links = this.builtBy.get(df) ?? [];
    const same = links.find((l) => l.key === key && l.target === target);
    if (same) same.envs.add(env);
    else this.builtBy.set(df, [...links, { key, target, args, envs: new Set([env]) }]);
  }
}

/** An alias's key in the alias table: a name in its application's scope; a built Dockerfile's path in the workspace's. */
function scoped(app: string | undefined, name: string): string {
  return app === undefined || name.startsWith('build:') ? name : `${app}\u0000${name}`;
}

/** The key of a variant's view in its service's views (`local` is the main view's). */
export function variantKey(env: string, variant: string): string {
  return `${env}\u0000${variant}`;
}

/** The Dockerfile a build (`build: {context, dockerfile}` of a file in `dir`) builds. */
export function buildFile(dir: string, build: { context: string; dockerfile?: string }): string {
  return joinRel(joinRel(dir, build.context), build.dockerfile ?? 'Dockerfile');
}

/** The alias under which whoever builds a Dockerfile is known, so that others building it join them. */
export function buildAlias(dockerfile: string): string {
  return `build:${dockerfile}`;
}

/** The services and their views, made on first mention. */
export class Views {
  readonly services = new Map<string, ServiceModel>();
  view(key: string, env: string): EnvView {
    let s = this.services.get(key);
    if (!s) this.services.set(key, (s = { name: key, views: new Map() }));
    let v = s.views.get(env);
    if (!v) s.views.set(env, (v = { service: key, env, units: new Map(), processes: [], declared: [] }));
    return v;
  }
  /**
   * A second definition of the service in one environment (another compose file of the folder that
   * defines it too): kept apart from the main view, under `variant` (its file), and compared on its own.
   */
  variant(key: string, env: string, variant: string, foreign = false): EnvView {
    this.view(key, env);
    const s = this.services.get(key) as ServiceModel;
    const id = variantKey(env, variant);
    let v = s.views.get(id);
    if (!v) s.views.set(id, (v = { service: key, env, variant, ...(foreign ? { foreign } : {}), units: new Map(), processes: [], declared: [] }));
    return v;
  }
  /**
   * The view of `key` in `env` that builds `dockerfile` (a second project's service of the name builds its
   * own image), else the main view.
   */
  builder(key: string, env: string, dockerfile: string): EnvView {
    const main = this.view(key, env);
    if (main.builds?.has(dockerfile)) return main;
    for (const v of (this.services.get(key) as ServiceModel).views.values()) if (v.env === env && v.builds?.has(dockerfile)) return v;
    return main;
  }
  /** The environments a service runs in so far. */
  runEnvs(key: string): string[] {
    const s = this.services.get(key);
    return s ? [...new Set([...s.views.values()].map((v) => v.env))] : [];
  }
}

/**
 * Where a unit goes, format-blind. `own`: its environment only. `base`: an unmarked one goes to every
 * base environment (those environment-marked manifests name) where no unit of the same `mark` is
 * marked. `follows`: an unmarked one goes to every environment the service `key` runs in where no unit
 * of the same `mark` is marked (an image, a .env file follow the service).
 */
export interface Placement {
  env?: string;
  policy: 'own' | 'base' | 'follows';
  /** Units of one mark override each other by environment (`workload:api`, `image:api`). */
  mark?: string;
  /** The service a `follows` unit follows. */
  key?: string;
  /** Its marked environment counts among the workspace's (a ConfigMap's alone does not). */
  counts: boolean;
  /** `follows`, unmarked, and the service runs nowhere: it runs in `default` (an image of nothing orchestrated). */
  orphanDefault?: boolean;
  /** Units are placed stage by stage (workloads before the Services that select them), in order within one. */
  stage: number;
  place(env: string, at: PlaceContext): void;
}

export interface PlaceContext {
  views: Views;
  /** Per-model state a plug-in keeps (its indexes: workloads by environment); kept in the model. */
  index<T>(format: string, make: () => T): T;
}

/** What a plug-in's join gets besides its facts. */
export interface JoinContext {
  j: Join;
  /** Given when modelling part of a workspace (the language server's incremental path). */
  context?: ModelContext;
  /** The workspace's own name (Config.name). */
  name?: string;
}

/** What a plug-in's finish step gets: every view is placed. */
export interface FinishContext extends PlaceContext {
  facts: Map<string, FileFacts>;
}

/** A format's part in the join: the kind of facts it joins, in order of authority over identity. */
export interface FormatJoin {
  kind: FileFacts['kind'];
  /** Lower runs first: compose services name services before workloads, images and .env files join them. */
  order: number;
  run(facts: FileFacts[], ctx: JoinContext): Placement[];
  /** After every unit is placed: what needs the whole (ConfigMaps into containers, env_files into services). */
  finish?(ctx: FinishContext): void;
  // What the language server's incremental evaluation (incremental.ts) asks of a format.
  /** The parts of a file's facts that decide which service is which and where it runs (a change there re-evaluates all). */
  signature(f: FileFacts): string;
  /** The variables a file's facts set (their values may name other services). */
  vars(f: FileFacts): EnvVar[];
  /**
   * A file read together with others as one unit (a compose project's files): the unit's key. Such a
   * file is read whole only when a file of its unit changed, else only for the services modelled
   * (`narrow`), and its findings that name no single service go with it. Several keys: the file is read
   * with each of those units (a compose file with the folders it includes or extends from).
   */
  project?(f: FileFacts): string[];
  narrow?(f: FileFacts, keep: Set<string>): FileFacts;
  /** Relations between services that the format's objects make (a Service selecting another's pods), for `wanted` services. */
  relate?(model: Model, sink: RelationSink, wanted: (s: string | undefined) => s is string): void;
  /**
   * The host names the format's objects give services (a compose service's name on its project's
   * network, a Kubernetes Service's DNS name), for references (`http://api:8080`). `ask` gives what the
   * format needs of the model without importing it (where a service's process listens).
   */
  hosts?(model: Model, ask: HostAsk): Hosts;
  /** The model's index of the format after an incremental evaluation: the whole's, with the part's units of the re-read files. */
  mergeIndex?(whole: unknown | undefined, part: unknown | undefined, files: Set<string>, fresh: Set<string>): unknown;
}

/** What a host name reaches from a caller: another service, and the ports it serves to that caller. */
export interface HostTarget {
  target: string;
  /** The format that resolved it (`compose`, `kubernetes`). */
  via: string;
  /** How the target answers, in words: "listens on" (a container), "serves" (a Service). */
  verb: string;
  /** What its ports are, in words: "container", "Service". */
  portKind: string;
  /** Empty: what the target serves cannot be known (a stock image with nothing declared). */
  serves: number[];
  servesAt: Loc[];
}

export interface Hosts {
  /** What `host` reaches from the caller's view; `self` for the caller itself; undefined when the name is not one of the format's hosts there. */
  resolve(caller: EnvView, host: string, port: number): HostTarget | 'self' | undefined;
  /** A merged model's hosts (incremental.ts): these, with the part's entries over them. Consumes these. */
  merge(part: Hosts): Hosts;
}

/** Host names by key (`env|scope|name`), with how a caller's host is looked up in them. */
export class HostTable<V> implements Hosts {
  constructor(
    readonly byKey: Map<string, V>,
    private readonly look: (byKey: Map<string, V>, caller: EnvView, host: string, port: number) => HostTarget | 'self' | undefined,
  ) {}
  resolve(caller: EnvView, host: string, port: number): HostTarget | 'self' | undefined {
    return this.look(this.byKey, caller, host, port);
  }
  merge(part: Hosts): Hosts {
    if (part instanceof HostTable) for (const [k, v] of part.byKey) this.byKey.set(k, v as V);
    return this;
  }
}

export interface HostAsk {
  /** Every port a service's process is known to serve in a view. */
  servedPorts(v: EnvView): Set<number>;
  /** Whether the process's own start command or port variables say where it listens. */
  saysWhere(v: EnvView): boolean;
}

/** What a format's `relate` records: host names, and which service's findings depend on which. */
export interface RelationSink {
  host(name: string, service: string): void;
  /** `owner`'s findings depend on `other` (its Service selects their pods). */
  depends(owner: string, other: string): void;
  /** A file reports for `service` (a route's file for the Service's owner). */
  file(service: string, file: string): void;
}

/** Units of the re-read files from the part, the others from the whole, by environment (`mergeIndex`). */
export function mergeByFile<T>(a: Map<string, T[]>, b: Map<string, T[]>, inFrom: (x: T) => boolean): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [env, list] of a) out.set(env, list.filter((x) => !inFrom(x)));
  for (const [env, list] of b) {
    const mine = list.filter(inFrom);
    if (mine.length) out.set(env, [...(out.get(env) ?? []), ...mine]);
    else if (!out.has(env)) out.set(env, []);
  }
  return out;
}

/** A typed key of a format's units in a view (`v.units`). */
export interface UnitKey<T> {
  readonly id: string;
  /** Never set: carries the type. */
  readonly type?: T;
}

export function unitKey<T>(id: string): UnitKey<T> {
  return { id };
}

/** A format's units in a view, or undefined. */
export function unitsOf<T>(v: EnvView, key: UnitKey<T>): T | undefined {
  return v.units.get(key.id) as T | undefined;
}

/** A format's units in a view, made on first use. */
export function ensureUnits<T>(v: EnvView, key: UnitKey<T>, make: () => T): T {
  let u = v.units.get(key.id) as T | undefined;
  if (u === undefined) v.units.set(key.id, (u = make()));
  return u;
}

const joined = new Map<string, string>();
export function joinRel(dir: string, rel: string): string {
  const key = `${dir}\0${rel}`;
  let j = joined.get(key);
  if (j === undefined) {
    const n = posix.normalize(posix.join(dir || '.', rel));
    j = n === '.' ? '' : n.replace(/\/$/, '');
    // A bounded memo: the same few build contexts come back on every evaluation.
    if (joined.size > 50000) joined.clear();
    joined.set(key, j);
  }
  return j;
}

export function imageBase(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  const name = last.split(':')[0];
  return name || undefined;
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Format-declared processes (a platform manifest's apps) keyed by identity: the service whose name,
 * image or built Dockerfile they share, else their own name; in the environment their path names, else
 * the one their format gives. The join of every plug-in that lowers into processes.
 */
export const processJoin: FormatJoin = {
  kind: 'contributed',
  order: 2,
  run(facts, { j }) {
    const out: Placement[] = [];
    for (const f of facts as ContributedFacts[]) {
      for (const p of f.processes) {
        const env = j.marked(f.file) ?? p.defaultEnv ?? DEFAULT_ENV;
        j.fileEnv.set(f.file, env);
        const df = p.build ? buildFile(dirOf(f.file), p.build) : undefined;
        const app = j.appOf(f.file);
        const key = j.keyIn(app, p.service, df && buildAlias(df), imageBase(p.image)) ?? j.byEvidence(app, [imageBase(p.image)]) ?? j.newKey(app, p.service);
        j.claimIn(app, key, p.service, imageBase(p.image));
        if (df) j.builds(df, key, env, p.build?.target, p.build?.args);
        out.push(placeProcess(env, key, p));
      }
    }
    return out;
  },
  signature: (f) => (f.kind === 'contributed' ? JSON.stringify(f.processes.map((p) => [p.service, p.image, p.build, p.defaultEnv])) : ''),
  vars: (f) => (f.kind === 'contributed' ? f.processes.flatMap((p) => p.parts.vars.flatMap((l) => l.vars)) : []),
};

function placeProcess(env: string, key: string, p: ProcessContribution): Placement {
  return { env, policy: 'own', counts: true, stage: 0, place: (e, { views }) => void views.view(key, e).processes.push(p) };
}
