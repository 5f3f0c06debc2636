// The joins buildModel makes, one phase each: which facts are one service (identity), in which
// environments, and what each service's view holds. Phases share a Join: the file → environment map
// and the name → service aliases that earlier phases claimed.
import { posix } from 'node:path';
import { DEFAULT_ENV, isEnvAlias } from './environments';
import type { EnvMatcher } from './environments';
import { dirOf } from './paths';
import type { ProcessContribution } from './contributions';
import type {
  CommandInfo, ComposeFacts, ComposeService, ContributedFacts, DockerExpose, DockerfileFacts, DotenvFacts, EnvVar, K8sBackend, K8sConfigMap, K8sContainer, K8sFacts,
  K8sNetworkPolicy, K8sService, K8sWorkload, ProbeFact,
} from './types';

export interface WorkloadUnit {
  workload: K8sWorkload;
  file: string;
  /** The service's own container; the others are sidecars. */
  main?: K8sContainer;
  service: string;
  /** The main container's variables from ConfigMaps (`envFrom`, then `configMapKeyRef`), resolved per environment. */
  configEnv: Map<string, EnvVar[]>;
}

/** The image a service runs: a Dockerfile's final stage (or the compose build target). */
export interface DockerImage {
  file: string;
  exposes: DockerExpose[];
  env: EnvVar[];
  command: CommandInfo;
  healthchecks: ProbeFact[];
  /** Build args a compose file passes. */
  buildArgs: Record<string, string>;
}

export interface ComposeUnit {
  service: ComposeService;
  /** The project folder and the files merged for this environment, base first. */
  dir: string;
  files: string[];
}

export interface BuildLink {
  key: string;
  target?: string;
  args: Record<string, string>;
  envs: Set<string>;
}

/** The state the phases share. */
export class Join {
  /** The one environment a file belongs to, or undefined for a base file shared by several. */
  readonly fileEnv = new Map<string, string | undefined>();
  /** Names and aliases that join a compose service, a workload and a Dockerfile → the service key. */
  private readonly alias = new Map<string, string>();
  /** A Dockerfile may be built by several services (api and worker from one image), in several environments. */
  readonly builtBy = new Map<string, BuildLink[]>();
  constructor(readonly matcher: EnvMatcher) {}
  marked(file: string): string | undefined {
    return this.matcher.envOf(file);
  }
  keyOf(...names: (string | undefined)[]): string | undefined {
    for (const n of names) if (n && this.alias.has(n)) return this.alias.get(n);
    return undefined;
  }
  claim(key: string, ...names: (string | undefined)[]): void {
    for (const n of names) if (n && !this.alias.has(n)) this.alias.set(n, key);
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

/** The alias under which whoever builds a Dockerfile is known, so that others building it join them. */
export function buildAlias(dockerfile: string): string {
  return `build:${dockerfile}`;
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

export interface ComposeEnvUnit {
  env: string;
  unit: ComposeUnit;
}

/** Compose projects: base + override per environment, merged as Compose merges, one unit per service and environment. */
export function joinCompose(composeByDir: Map<string, ComposeFacts[]>, j: Join): ComposeEnvUnit[] {
  const out: ComposeEnvUnit[] = [];
  for (const [dir, files] of [...composeByDir].sort((a, b) => a[0].localeCompare(b[0]))) {
    for (const [env, parts] of composeProjects(dir, files, j)) {
      // Which parts name each service, looked up once per service (a file may hold thousands).
      const named = parts.map((p) => new Set(p.services.map((x) => x.name)));
      const merged = new Map<string, ComposeService>();
      for (const part of parts) for (const s of part.services) merged.set(s.name, merged.has(s.name) ? mergeCompose(merged.get(s.name) as ComposeService, s) : s);
      for (const s of merged.values()) {
        const key = j.keyOf(s.name) ?? s.name;
        j.claim(key, s.name);
        if (s.build) {
          j.claim(key, imageBase(s.image));
          j.builds(joinRel(joinRel(dir, s.build.context), s.build.dockerfile ?? 'Dockerfile'), key, env, s.build.target, s.build.args);
        }
        out.push({ env, unit: { service: s, dir, files: parts.filter((_, i) => named[i].has(s.name)).map((p) => p.file) } });
      }
    }
  }
  return out;
}

/** A folder's compose files by environment, base first: the base and its overrides, and each environment's file over the base. */
function composeProjects(dir: string, files: ComposeFacts[], j: Join): Map<string, ComposeFacts[]> {
  const dirEnv = j.marked(dir ? `${dir}/x` : 'x');
  const byName = (f: ComposeFacts): { env?: string; override: boolean } => {
    const base = posix.basename(f.file).toLowerCase();
    return { env: j.matcher.envOfName(base), override: /(^|[.-])override([.-]|$)/.test(base) };
  };
  const bases = files.filter((f) => !byName(f).env && !byName(f).override);
  const base = bases.sort((a, b) => a.file.localeCompare(b.file))[0];
  const overrides = files.filter((f) => byName(f).override);
  const baseEnv = dirEnv ?? 'local';
  const projects = new Map<string, ComposeFacts[]>();
  if (base) {
    projects.set(baseEnv, [base, ...overrides]);
    j.fileEnv.set(base.file, baseEnv);
    for (const o of overrides) j.fileEnv.set(o.file, baseEnv);
  }
  for (const f of files) {
    const e = byName(f).env;
    if (!e || f === base) continue;
    projects.set(e, [...(base ? [base] : []), f]);
    j.fileEnv.set(f.file, e);
  }
  return projects;
}

export interface ProcessUnit {
  env: string;
  key: string;
  process: ProcessContribution;
}

/**
 * Format-declared processes keyed by identity: the service whose name, image or built Dockerfile they
 * share, else their own name; in the environment their path names, else the one their format gives.
 */
export function joinProcesses(facts: ContributedFacts[], j: Join): ProcessUnit[] {
  const out: ProcessUnit[] = [];
  for (const f of facts) {
    for (const p of f.processes) {
      const env = j.marked(f.file) ?? p.defaultEnv ?? DEFAULT_ENV;
      j.fileEnv.set(f.file, env);
      const df = p.build ? joinRel(joinRel(dirOf(f.file), p.build.context), p.build.dockerfile ?? 'Dockerfile') : undefined;
      const key = j.keyOf(p.service, df && buildAlias(df), imageBase(p.image)) ?? p.service;
      j.claim(key, p.service, imageBase(p.image));
      if (df) j.builds(df, key, env, p.build?.target, p.build?.args);
      out.push({ env, key, process: p });
    }
  }
  return out;
}

/** Proxies, agents and collectors that ride along in a pod: never the service's own container by default. */
const SIDECAR = /(^|[-_])(proxy|proxyv2|sidecar|agent|envoy|collector|otelcol(-contrib)?|fluent-?bit|fluentd|filebeat|vault)([-_]|$)/i;

/** The service's own container: named like the workload or the service, else the first app container that is not a known sidecar. */
function mainContainer(w: K8sWorkload, names: string[]): K8sContainer | undefined {
  const apps = w.containers.filter((c) => !c.init);
  // A cloud-sql-proxy or envoy listed first is not the app: taking it would compare the sidecar's port.
  const notSidecar = apps.find((c) => !SIDECAR.test(c.name) && !SIDECAR.test(imageBase(c.image) ?? ''));
  return apps.find((c) => names.includes(c.name)) ?? apps.find((c) => names.includes(imageBase(c.image) ?? '')) ?? notSidecar ?? apps[0];
}

/** Kubernetes objects with the environment their file or render names (undefined: an unmarked base). */
export interface K8sUnits {
  workloads: { env?: string; unit: WorkloadUnit }[];
  services: { env?: string; svc: K8sService; file: string }[];
  configMaps: { env?: string; cm: K8sConfigMap }[];
  backends: { env?: string; backend: K8sBackend; file: string }[];
  policies: { env?: string; policy: K8sNetworkPolicy; file: string }[];
}

/** Kubernetes workloads keyed by identity (`staging-api` and `api-prod` from one base are `api`), and the other objects. */
export function joinKubernetes(k8s: K8sFacts[], j: Join): K8sUnits {
  const out: K8sUnits = { workloads: [], services: [], configMaps: [], backends: [], policies: [] };
  for (const f of k8s) {
    const env = f.env ?? j.marked(f.file);
    j.fileEnv.set(f.file, env);
    for (const w of f.workloads) {
      const apps = w.containers.filter((c) => !c.init);
      const id = w.baseName ?? w.name;
      const key = j.keyOf(id, ...apps.map((c) => c.name), ...apps.map((c) => imageBase(c.image))) ?? id;
      j.claim(key, id, w.name);
      const main = mainContainer(w, [id, w.name, key]);
      j.claim(key, imageBase(main?.image));
      out.workloads.push({ env, unit: { workload: w, file: f.file, main, service: key, configEnv: new Map() } });
    }
    for (const s of f.services) out.services.push({ env, svc: s, file: f.file });
    for (const c of f.configMaps) out.configMaps.push({ env, cm: c });
    for (const b of f.backends) out.backends.push({ env, backend: b, file: f.file });
    for (const n of f.networkPolicies) out.policies.push({ env, policy: n, file: f.file });
  }
  return out;
}

const GENERIC_DIRS = new Set([
  '', '.', 'src', 'app', 'apps', 'docker', 'build', 'deploy', 'deployment', 'deployments', '.docker', 'dockerfiles', 'services', 'service',
  'k8s', 'kube', 'kubernetes', 'manifests', 'kubernetes-manifests', 'helm', 'charts', 'chart', 'config', 'configs', 'infra', 'ops', 'base',
  'overlays', 'envs', 'environments', 'containers', 'images', 'packages', 'cmd', 'server',
]);

export interface ImageUnit {
  env?: string;
  key: string;
  image: DockerImage;
  primary: boolean;
  builtIn?: Set<string>;
}

/** Dockerfiles: linked by whoever builds them, else by folder names that name a service. */
/** `sole`: the one orchestrated service of the whole workspace, when modelling part of it. */
export function joinDockerfiles(dockerfiles: DockerfileFacts[], j: Join, partial: boolean, soleOfWhole?: string): ImageUnit[] {
  const out: ImageUnit[] = [];
  const orchestrated = j.keys();
  for (const d of dockerfiles) {
    const env = j.marked(d.file);
    j.fileEnv.set(d.file, env);
    const base = posix.basename(d.file);
    // Only the default name stands in for the compose default: a `Dockerfile.dev` beside it is not what compose builds.
    const links = j.builtBy.get(d.file) ?? (/^(dockerfile|containerfile)$/i.test(base) ? j.builtBy.get(joinRel(dirOf(d.file), 'Dockerfile')) : undefined) ?? [];
    const dirs = dirOf(d.file).split('/').reverse();
    const fromName = /^(.+)\.dockerfile$/i.exec(base)?.[1];
    const candidates = [fromName, ...dirs].filter((x): x is string => !!x && !GENERIC_DIRS.has(x.toLowerCase()) && !isEnvAlias(x));
    let key = j.keyOf(...candidates);
    const sole = partial ? soleOfWhole : orchestrated.size === 1 ? [...orchestrated][0] : undefined;
    if (!key && candidates.length === 0 && sole) key = sole;
    key = key ?? candidates[0] ?? 'Dockerfile';
    for (const link of links.length ? links : [undefined]) {
      const k = link?.key ?? key;
      j.claim(k, k);
      const stage = link?.target ? d.stages.find((s) => s.name === link.target) ?? d : d;
      out.push({
        env,
        key: k,
        image: { file: d.file, exposes: withBuildArgs(stage.exposes, stage.env, link?.args ?? {}), env: stage.env, command: stage.command, healthchecks: stage.healthchecks, buildArgs: link?.args ?? {} },
        primary: !!link || base === 'Dockerfile' || base === 'Containerfile' || !!env,
        builtIn: link?.envs,
      });
    }
  }
  return out;
}

/**
 * A compose build arg replaces the ARG default an `EXPOSE $VAR` was resolved with, unless a literal
 * ENV of that name set it (an `ENV PORT=$PORT` still passes the argument through).
 */
function withBuildArgs(exposes: DockerExpose[], env: EnvVar[], args: Record<string, string>): DockerExpose[] {
  if (Object.keys(args).length === 0) return exposes;
  return exposes.map((e) => {
    const v = e.variable !== undefined ? args[e.variable] : undefined;
    // A build arg sets only what an ARG of the stage declares (Docker warns the rest was not consumed).
    if (e.port === undefined && e.argScope !== 'stage') return e;
    if (v === undefined || !/^\d+$/.test(v) || env.some((x) => x.name === e.variable && x.literal)) return e;
    return { ...e, port: Number(v), literal: false };
  });
}

export interface DotenvUnit {
  env?: string;
  key: string;
  facts: DotenvFacts;
}

/** .env files: the service whose folder holds them; beside a compose file they only interpolate. */
export function joinDotenvs(dotenvs: DotenvFacts[], j: Join, composeDirs: Set<string>, images: ImageUnit[]): DotenvUnit[] {
  const out: DotenvUnit[] = [];
  const imageDirs = new Map(images.map((i) => [dirOf(i.image.file), i.key]));
  for (const [df, b] of j.builtBy) if (!imageDirs.has(dirOf(df)) && b[0]) imageDirs.set(dirOf(df), b[0].key);
  for (const e of dotenvs) {
    const dir = dirOf(e.file);
    const env = j.marked(e.file);
    j.fileEnv.set(e.file, env);
    if (composeDirs.has(dir)) continue;
    const key = imageDirs.get(dir) ?? j.keyOf(...dir.split('/').reverse());
    if (key) out.push({ env, key, facts: e });
  }
  return out;
}

/** Compose's merge: maps key by key, ports unique by mapping, command/entrypoint/healthcheck replaced. */
export function mergeCompose(base: ComposeService, over: ComposeService): ComposeService {
  // Keys the override tags `!override`/`!reset` start from nothing: the base's entries are dropped.
  const keep = (key: string): boolean => !over.replaced?.includes(key);
  const portKey = (p: ComposeService['ports'][number]): string => `${p.hostIp ?? ''}|${p.host?.port ?? ''}|${p.container.port ?? p.container.raw}|${p.protocol}`;
  const ports = new Map<string, ComposeService['ports'][number]>();
  for (const p of [...(keep('ports') ? base.ports : []), ...over.ports]) if (!ports.has(portKey(p))) ports.set(portKey(p), p);
  const env = new Map<string, EnvVar>();
  for (const e of [...(keep('environment') ? base.environment : []), ...over.environment]) env.set(e.name, e);
  const expose = new Map<string, ComposeService['expose'][number]>();
  for (const e of [...(keep('expose') ? base.expose : []), ...over.expose]) if (!expose.has(`${e.port}/${e.protocol}`)) expose.set(`${e.port}/${e.protocol}`, e);
  return {
    ...base,
    image: over.image ?? base.image,
    build: over.build ?? base.build,
    containerName: over.containerName ?? base.containerName,
    aliases: [...base.aliases, ...over.aliases],
    ports: [...ports.values()],
    expose: [...expose.values()],
    environment: [...env.values()],
    envFiles: [...(keep('env_file') ? base.envFiles : []), ...over.envFiles],
    command: over.command ?? (keep('command') ? base.command : undefined),
    entrypoint: over.entrypoint ?? (keep('entrypoint') ? base.entrypoint : undefined),
    healthchecks: over.hasHealthcheck || !keep('healthcheck') ? over.healthchecks : base.healthchecks,
    hasHealthcheck: base.hasHealthcheck || over.hasHealthcheck,
    networkModeHost: over.networkModeHost || base.networkModeHost,
  };
}
