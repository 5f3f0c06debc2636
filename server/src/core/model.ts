// The workspace model: which files make up each service, in which environment, and its internal ports.
import { posix } from 'node:path';
import type { Config, ContractEntry } from './config';
import type { ProcessContribution } from './parts';
import { dirOf } from './paths';
import { compareEnvs, DEFAULT_ENV, envMatcher, isEnvAlias, normalizeEnv } from './environments';
import type {
  CommandInfo, ComposeFacts, ComposePort, ContributedFacts, ComposeService, DockerExpose, DockerfileFacts, DotenvFacts, EnvVar, FileFacts, K8sContainer,
  K8sBackend, K8sConfigMap, K8sFacts, K8sNetworkPolicy, K8sService, K8sWorkload, Loc, ProbeFact, Protocol,
} from './types';

/** What part a port value plays, as hovers and messages name it. */
export type Role = 'containerPort' | 'composeContainer' | 'composeExpose' | 'expose' | 'listens' | 'routed';

export const ROLE_TEXT: Record<Role, string> = {
  containerPort: 'containerPort',
  composeContainer: 'compose container port',
  composeExpose: 'compose expose',
  expose: 'Dockerfile EXPOSE',
  listens: 'internal port',
  routed: 'port traffic is routed to',
};

function roleText(role: Role): string {
  return role === 'containerPort' ? 'container port' : ROLE_TEXT[role];
}

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

export interface WorkloadUnit {
  workload: K8sWorkload;
  file: string;
  /** The service's own container; the others are sidecars. */
  main?: K8sContainer;
  service: string;
  /** The main container's variables from ConfigMaps (`envFrom`, then `configMapKeyRef`), resolved per environment. */
  configEnv: Map<string, EnvVar[]>;
}

export interface ServiceUnit {
  svc: K8sService;
  file: string;
  /** Workloads in the same environment and namespace whose pod labels match the selector. */
  selected: WorkloadUnit[];
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

/** One service in one environment. */
export interface EnvView {
  service: string;
  env: string;
  compose?: ComposeUnit;
  workloads: WorkloadUnit[];
  k8sServices: ServiceUnit[];
  image?: DockerImage;
  dotenvs: DotenvFacts[];
  /** Variables from compose `env_file`s. */
  envFileVars: EnvVar[];
  /** Processes that format plug-ins declare on their own (a platform manifest's app), joined by identity. */
  processes: ProcessContribution[];
  /** The internal port declarations: containerPort and compose container side; EXPOSE when neither. */
  declared: PortDecl[];
}

export interface ServiceModel {
  name: string;
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
  /** All workloads by environment, for Service selectors. */
  workloadsByEnv: Map<string, WorkloadUnit[]>;
  /** Compose projects' merged services by environment, for duplicate host ports. */
  composeByEnv: Map<string, ComposeUnit[]>;
  /** Every Kubernetes Service by environment, with the workloads it selects. */
  servicesByEnv: Map<string, ServiceUnit[]>;
  /** Ingress and Gateway API backends by environment. */
  backendsByEnv: Map<string, { backend: K8sBackend; file: string }[]>;
  /** Pods by `env|namespace|label=value`, for selectors (see selectFrom). */
  podIndex: () => Map<string, WorkloadUnit[]>;
  /** NetworkPolicies by environment. */
  policiesByEnv: Map<string, { policy: K8sNetworkPolicy; file: string }[]>;
}

const GENERIC_DIRS = new Set([
  '', '.', 'src', 'app', 'apps', 'docker', 'build', 'deploy', 'deployment', 'deployments', '.docker', 'dockerfiles', 'services', 'service',
  'k8s', 'kube', 'kubernetes', 'manifests', 'kubernetes-manifests', 'helm', 'charts', 'chart', 'config', 'configs', 'infra', 'ops', 'base',
  'overlays', 'envs', 'environments', 'containers', 'images', 'packages', 'cmd', 'server',
]);

export function imageBase(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  const name = last.split(':')[0];
  return name || undefined;
}

const joined = new Map<string, string>();
function joinRel(dir: string, rel: string): string {
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

/** Proxies, agents and collectors that ride along in a pod: never the service's own container by default. */
const SIDECAR = /(^|[-_])(proxy|proxyv2|sidecar|agent|envoy|collector|otelcol(-contrib)?|fluent-?bit|fluentd|filebeat|vault)([-_]|$)/i;

/** The service's own container: named like the workload or the service, else the first app container that is not a known sidecar. */
function mainContainer(w: K8sWorkload, names: string[]): K8sContainer | undefined {
  const apps = w.containers.filter((c) => !c.init);
  // A cloud-sql-proxy or envoy listed first is not the app: taking it would compare the sidecar's port.
  const notSidecar = apps.find((c) => !SIDECAR.test(c.name) && !SIDECAR.test(imageBase(c.image) ?? ''));
  return apps.find((c) => names.includes(c.name)) ?? apps.find((c) => names.includes(imageBase(c.image) ?? '')) ?? notSidecar ?? apps[0];
}

/**
 * What a model of part of a workspace must take from the whole: which environments exist, which of
 * them unmarked manifests apply to, and the one orchestrated service a root Dockerfile belongs to.
 */
export interface ModelContext {
  envs: string[];
  envSet: string[];
  baseK8sEnvs: string[];
  soleService?: string;
  /**
   * The environments each service has marked manifests for (workloads, Services): an unmarked manifest
   * applies to the others only, whichever of the service's files a part reads.
   */
  markedWorkloadEnvs: ReadonlyMap<string, ReadonlySet<string>>;
  markedServiceEnvs: ReadonlyMap<string, ReadonlySet<string>>;
}

/** `context`: given when modelling part of a workspace (the language server's incremental path). */
export function buildModel(factsList: FileFacts[], config: Config, context?: ModelContext): Model {
  const matcher = envMatcher(config.environments);
  const facts = new Map(factsList.map((f) => [f.file, f]));
  const fileEnv = new Map<string, string | undefined>();
  const marked = (file: string): string | undefined => matcher.envOf(file);

  // Service identity: names and aliases that join a compose service, a workload and a Dockerfile.
  const alias = new Map<string, string>();
  const keyOf = (...names: (string | undefined)[]): string | undefined => {
    for (const n of names) if (n && alias.has(n)) return alias.get(n);
    return undefined;
  };
  const claim = (key: string, ...names: (string | undefined)[]): void => {
    for (const n of names) if (n && !alias.has(n)) alias.set(n, key);
  };

  // Compose projects: base + override per environment, merged as Compose merges.
  const composeByDir = new Map<string, ComposeFacts[]>();
  const dockerfiles: DockerfileFacts[] = [];
  const k8s: K8sFacts[] = [];
  const dotenvs: DotenvFacts[] = [];
  const contributed: ContributedFacts[] = [];
  // Every file's own environment by its path; compose files and renders refine this below.
  for (const f of factsList) if (!(f.kind === 'kubernetes' && f.env)) fileEnv.set(f.file, marked(f.file));
  for (const f of factsList) {
    if (f.kind === 'compose') {
      const d = dirOf(f.file);
      push(composeByDir, d, f);
    } else if (f.kind === 'dockerfile') dockerfiles.push(f);
    else if (f.kind === 'kubernetes') k8s.push(f);
    else if (f.kind === 'dotenv') dotenvs.push(f);
    else if (f.kind === 'contributed') contributed.push(f);
  }
  const composeEnvUnits: { env: string; unit: ComposeUnit }[] = [];
  // A Dockerfile may be built by several compose services (api and worker from one image), in several environments.
  const builtBy = new Map<string, { key: string; target?: string; args: Record<string, string>; envs: Set<string> }[]>();
  for (const [dir, files] of [...composeByDir].sort((a, b) => a[0].localeCompare(b[0]))) {
    const dirEnv = marked(dir ? `${dir}/x` : 'x');
    const byName = (f: ComposeFacts): { env?: string; override: boolean } => {
      const base = posix.basename(f.file).toLowerCase();
      return { env: matcher.envOfName(base), override: /(^|[.-])override([.-]|$)/.test(base) };
    };
    const bases = files.filter((f) => !byName(f).env && !byName(f).override);
    const base = bases.sort((a, b) => a.file.localeCompare(b.file))[0];
    const overrides = files.filter((f) => byName(f).override);
    const baseEnv = dirEnv ?? 'local';
    const projects = new Map<string, ComposeFacts[]>();
    if (base) {
      projects.set(baseEnv, [base, ...overrides]);
      fileEnv.set(base.file, baseEnv);
      for (const o of overrides) fileEnv.set(o.file, baseEnv);
    }
    for (const f of files) {
      const e = byName(f).env;
      if (!e || f === base) continue;
      projects.set(e, [...(base ? [base] : []), f]);
      fileEnv.set(f.file, e);
    }
    for (const [env, parts] of projects) {
      // Which parts name each service, looked up once per service (a file may hold thousands).
      const named = parts.map((p) => new Set(p.services.map((x) => x.name)));
      const merged = new Map<string, ComposeService>();
      for (const part of parts) for (const s of part.services) merged.set(s.name, merged.has(s.name) ? mergeCompose(merged.get(s.name) as ComposeService, s) : s);
      for (const s of merged.values()) {
        const key = keyOf(s.name) ?? s.name;
        claim(key, s.name);
        if (s.build) {
          claim(key, imageBase(s.image));
          const ctx = joinRel(dir, s.build.context);
          const df = joinRel(ctx, s.build.dockerfile ?? 'Dockerfile');
          claim(key, builds(df));
          const links = builtBy.get(df) ?? [];
          const same = links.find((l) => l.key === key && l.target === s.build?.target);
          if (same) same.envs.add(env);
          else builtBy.set(df, [...links, { key, target: s.build.target, args: s.build.args, envs: new Set([env]) }]);
        }
        composeEnvUnits.push({ env, unit: { service: s, dir, files: parts.filter((_, i) => named[i].has(s.name)).map((p) => p.file) } });
      }
    }
  }

  // Processes that formats declare on their own: joined by name, image or the Dockerfile they build.
  const processUnits = joinProcesses(contributed, { marked, keyOf, claim, fileEnv, builtBy });

  // Kubernetes workloads and Services.
  const workloadUnits: { env?: string; unit: WorkloadUnit }[] = [];
  const serviceUnits: { env?: string; svc: K8sService; file: string }[] = [];
  const configMapUnits: { env?: string; cm: K8sConfigMap }[] = [];
  const backendUnits: { env?: string; backend: K8sBackend; file: string }[] = [];
  const policyUnits: { env?: string; policy: K8sNetworkPolicy; file: string }[] = [];
  for (const f of k8s) {
    const env = f.env ?? marked(f.file);
    fileEnv.set(f.file, env);
    for (const w of f.workloads) {
      const apps = w.containers.filter((c) => !c.init);
      const images = apps.map((c) => imageBase(c.image));
      // `staging-api` and `api-prod` from one base are the service `api`.
      const id = w.baseName ?? w.name;
      const key = keyOf(id, ...apps.map((c) => c.name), ...images) ?? id;
      claim(key, id, w.name);
      const main = mainContainer(w, [id, w.name, key]);
      claim(key, imageBase(main?.image));
      workloadUnits.push({ env, unit: { workload: w, file: f.file, main, service: key, configEnv: new Map() } });
    }
    for (const s of f.services) serviceUnits.push({ env, svc: s, file: f.file });
    for (const c of f.configMaps) configMapUnits.push({ env, cm: c });
    for (const b of f.backends) backendUnits.push({ env, backend: b, file: f.file });
    for (const n of f.networkPolicies) policyUnits.push({ env, policy: n, file: f.file });
  }

  // Dockerfiles: linked by a compose build, else by folder names that name a service.
  const images: { env?: string; key: string; image: DockerImage; primary: boolean; builtIn?: Set<string> }[] = [];
  const orchestrated = new Set(alias.values());
  for (const d of dockerfiles) {
    const env = marked(d.file);
    fileEnv.set(d.file, env);
    const base = posix.basename(d.file);
    // Only the default name stands in for the compose default: a `Dockerfile.dev` beside it is not what compose builds.
    const links = builtBy.get(d.file) ?? (/^(dockerfile|containerfile)$/i.test(base) ? builtBy.get(joinRel(dirOf(d.file), 'Dockerfile')) : undefined) ?? [];
    const dirs = dirOf(d.file).split('/').reverse();
    const fromName = /^(.+)\.dockerfile$/i.exec(base)?.[1];
    const candidates = [fromName, ...dirs].filter((x): x is string => !!x && !GENERIC_DIRS.has(x.toLowerCase()) && !isEnvAlias(x));
    let key = keyOf(...candidates);
    const sole = context ? context.soleService : orchestrated.size === 1 ? [...orchestrated][0] : undefined;
    if (!key && candidates.length === 0 && sole) key = sole;
    key = key ?? candidates[0] ?? 'Dockerfile';
    for (const link of links.length ? links : [undefined]) {
      const k = link?.key ?? key;
      claim(k, k);
      const stage = link?.target ? d.stages.find((s) => s.name === link.target) ?? d : d;
      images.push({
        env,
        key: k,
        image: { file: d.file, exposes: withBuildArgs(stage.exposes, stage.env, link?.args ?? {}), env: stage.env, command: stage.command, healthchecks: stage.healthchecks, buildArgs: link?.args ?? {} },
        primary: !!link || base === 'Dockerfile' || base === 'Containerfile' || !!env,
        builtIn: link?.envs,
      });
    }
  }

  // .env files: the service whose folder holds them; beside a compose file they only interpolate.
  const dotenvUnits: { env?: string; key: string; facts: DotenvFacts }[] = [];
  const imageDirs = new Map(images.map((i) => [dirOf(i.image.file), i.key]));
  for (const [df, b] of builtBy) if (!imageDirs.has(dirOf(df)) && b[0]) imageDirs.set(dirOf(df), b[0].key);
  for (const e of dotenvs) {
    const dir = dirOf(e.file);
    const env = marked(e.file);
    fileEnv.set(e.file, env);
    if (composeByDir.has(dir)) continue;
    const key = imageDirs.get(dir) ?? keyOf(...dir.split('/').reverse());
    if (key) dotenvUnits.push({ env, key, facts: e });
  }

  // Environments: every marker seen, `local` for unmarked compose; unmarked manifests fill the rest.
  const envSet = new Set<string>();
  for (const c of composeEnvUnits) envSet.add(c.env);
  for (const x of [...workloadUnits, ...serviceUnits, ...images, ...dotenvUnits, ...processUnits]) if (x.env) envSet.add(x.env);
  const k8sEnvs = new Set([...workloadUnits, ...serviceUnits].map((x) => x.env).filter((x): x is string => !!x));
  let baseK8sEnvs = [...k8sEnvs];
  // Without environment-marked manifests, a base applies where other deployment files name an environment
  // (a Dockerfile.prod, .env.staging); environments that only Compose files name are Compose's own.
  if (baseK8sEnvs.length === 0) baseK8sEnvs = [...new Set([...images, ...dotenvUnits].map((x) => x.env).filter((e): e is string => !!e && e !== 'local'))];
  const hasUnmarkedK8s = workloadUnits.some((x) => !x.env) || serviceUnits.some((x) => !x.env);
  if (baseK8sEnvs.length === 0 && hasUnmarkedK8s) baseK8sEnvs = [DEFAULT_ENV];
  // Which environments an unmarked manifest applies to: those that do not have the service themselves.
  const markedWorkloadEnvs = new Map<string, Set<string>>();
  for (const x of workloadUnits) if (x.env) markedWorkloadEnvs.set(x.unit.service, (markedWorkloadEnvs.get(x.unit.service) ?? new Set()).add(x.env));
  const markedServiceEnvs = new Map<string, Set<string>>();
  for (const x of serviceUnits) if (x.env) markedServiceEnvs.set(x.svc.name, (markedServiceEnvs.get(x.svc.name) ?? new Set()).add(x.env));
  const computed = {
    envSet: [...envSet],
    baseK8sEnvs: [...baseK8sEnvs],
    soleService: orchestrated.size === 1 ? [...orchestrated][0] : undefined,
    markedWorkloadEnvs,
    markedServiceEnvs,
  };
  if (context) {
    envSet.clear();
    for (const e of context.envSet) envSet.add(e);
    baseK8sEnvs = [...context.baseK8sEnvs];
    // A part may hold a service's unmarked manifest without the marked ones: the whole workspace says.
    for (const [from, into] of [[context.markedWorkloadEnvs, markedWorkloadEnvs], [context.markedServiceEnvs, markedServiceEnvs]] as const) {
      for (const [k, envs] of from) for (const e of envs) into.set(k, (into.get(k) ?? new Set()).add(e));
    }
  }

  const services = new Map<string, ServiceModel>();
  const view = (key: string, env: string): EnvView => {
    let s = services.get(key);
    if (!s) services.set(key, (s = { name: key, views: new Map() }));
    let v = s.views.get(env);
    if (!v) s.views.set(env, (v = { service: key, env, workloads: [], k8sServices: [], dotenvs: [], envFileVars: [], processes: [], declared: [] }));
    return v;
  };
  const workloadsByEnv = new Map<string, WorkloadUnit[]>();
  const composeByEnv = new Map<string, ComposeUnit[]>();
  const servicesByEnv = new Map<string, ServiceUnit[]>();
  for (const c of composeEnvUnits) {
    const key = keyOf(c.unit.service.name) ?? c.unit.service.name;
    view(key, c.env).compose = c.unit;
    push(composeByEnv, c.env, c.unit);
    envSet.add(c.env);
  }
  for (const x of processUnits) view(x.key, x.env).processes.push(x.process);
  for (const x of workloadUnits) {
    const envs = x.env ? [x.env] : baseK8sEnvs.filter((e) => !markedWorkloadEnvs.get(x.unit.service)?.has(e));
    for (const env of envs) {
      view(x.unit.service, env).workloads.push(x.unit);
      push(workloadsByEnv, env, x.unit);
      envSet.add(env);
    }
  }
  const podIndex = indexPods(workloadsByEnv);
  const selectPods = (env: string, ns: string, selector: Record<string, string>): WorkloadUnit[] => selectFrom(podIndex, env, ns, selector);
  for (const x of serviceUnits) {
    const envs = x.env ? [x.env] : baseK8sEnvs.filter((e) => !markedServiceEnvs.get(x.svc.name)?.has(e));
    for (const env of envs) {
      const ns = x.svc.namespace;
      const selected = x.svc.selector ? selectPods(env, ns, x.svc.selector) : [];
      const unit: ServiceUnit = { svc: x.svc, file: x.file, selected };
      const owner = selected[0]?.service ?? keyOf(x.svc.name);
      if (owner) view(owner, env).k8sServices.push(unit);
      push(servicesByEnv, env, unit);
    }
  }
  // ConfigMaps, routing objects and NetworkPolicies: in their own environment, or as bases where not overridden.
  const spread = <U extends { env?: string }>(units: U[], nameOf: (u: U) => string, each: (env: string, u: U) => void): void => {
    const markedEnvs = new Map<string, Set<string>>();
    for (const u of units) if (u.env) markedEnvs.set(nameOf(u), (markedEnvs.get(nameOf(u)) ?? new Set()).add(u.env));
    for (const u of units) {
      const targets = u.env ? [u.env] : baseK8sEnvs.filter((e) => !markedEnvs.get(nameOf(u))?.has(e));
      for (const env of targets) each(env, u);
    }
  };
  const configMaps = new Map<string, K8sConfigMap>();
  spread(configMapUnits, (u) => `${u.cm.namespace}/${u.cm.name}`, (env, u) => configMaps.set(`${env}|${u.cm.namespace}/${u.cm.name}`, u.cm));
  for (const [env, units] of workloadsByEnv) {
    for (const w of units) {
      const c = w.main;
      if (!c || (c.envFrom.length === 0 && c.envRefs.length === 0)) continue;
      const vars: EnvVar[] = [];
      for (const name of c.envFrom) vars.push(...(configMaps.get(`${env}|${w.workload.namespace}/${name}`)?.data ?? []));
      for (const r of c.envRefs) {
        const entry = configMaps.get(`${env}|${w.workload.namespace}/${r.configMap}`)?.data.find((d) => d.name === r.key);
        if (entry) vars.push({ ...entry, name: r.name });
      }
      w.configEnv.set(env, vars);
    }
  }
  const backendsByEnv = new Map<string, { backend: K8sBackend; file: string }[]>();
  spread(backendUnits, (u) => `${u.backend.namespace}|${u.backend.from}`, (env, u) => push(backendsByEnv, env, u));
  const policiesByEnv = new Map<string, { policy: K8sNetworkPolicy; file: string }[]>();
  spread(policyUnits, (u) => `${u.policy.namespace}/${u.policy.name}`, (env, u) => push(policiesByEnv, env, u));
  const envs = [...envSet].sort(compareEnvs);
  // Images and .env files join the environments where the service runs.
  const runEnvs = (key: string): string[] => {
    const s = services.get(key);
    return s ? [...s.views.keys()] : [];
  };
  const ownImageEnvs = new Map<string, string[]>();
  for (const i of images) if (i.env && i.primary) push(ownImageEnvs, i.key, i.env);
  const ownDotenvEnvs = new Map<string, string[]>();
  for (const d of dotenvUnits) if (d.env) push(ownDotenvEnvs, d.key, d.env);
  for (const img of images) {
    if (!img.primary) continue;
    const own = ownImageEnvs.get(img.key) ?? [];
    let targets = img.env ? [img.env] : runEnvs(img.key).filter((e) => !own.includes(e));
    if (targets.length === 0 && !img.env) targets = services.has(img.key) ? [] : [DEFAULT_ENV];
    for (const env of targets) view(img.key, env).image = img.image;
  }
  // What a compose project builds is the image it runs, whatever other Dockerfiles' names suggest.
  for (const img of images) for (const env of img.builtIn ?? []) view(img.key, env).image = img.image;
  for (const d of dotenvUnits) {
    const own = ownDotenvEnvs.get(d.key) ?? [];
    const targets = d.env ? [d.env] : runEnvs(d.key).filter((e) => !own.includes(e));
    for (const env of targets) view(d.key, env).dotenvs.push(d.facts);
  }
  const allEnvs = new Set(envs);
  for (const s of services.values()) for (const env of s.views.keys()) allEnvs.add(env);

  // env_file variables and the declared internal ports of every view.
  for (const s of services.values()) {
    for (const v of s.views.values()) {
      if (v.compose) {
        for (const p of v.compose.service.envFiles) {
          const ef = facts.get(joinRel(v.compose.dir, p));
          if (ef?.kind === 'dotenv') v.envFileVars.push(...ef.vars);
        }
      }
      v.declared = declaredPorts(v);
    }
    // Views in table order, whatever order the files came in (a partial model must equal the whole's).
    s.views = new Map([...s.views].sort((a, b) => compareEnvs(a[0], b[0])));
    s.contract = config.services[s.name];
    // The configured reference, else the environment closest to production that declares the service.
    const have = [...s.views.keys()].filter((e) => (s.views.get(e) as EnvView).declared.length > 0);
    const preference = [normalizeEnv(config.reference), 'production', 'staging', 'test', 'local', DEFAULT_ENV, ...have.sort(compareEnvs)];
    s.reference = preference.find((e) => have.includes(e));
  }
  const modelEnvs = context ? context.envs : [...allEnvs].sort(compareEnvs);
  return { context: context ?? { ...computed, envs: modelEnvs }, partial: !!context, config, envs: modelEnvs, services, facts, fileEnv, workloadsByEnv, composeByEnv, servicesByEnv, backendsByEnv, policiesByEnv, podIndex: () => podIndex, envOfFile: (file) => (fileEnv.has(file) ? fileEnv.get(file) : marked(file)) };
}


/** The alias under which whoever builds a Dockerfile is known, so that others building it join them. */
function builds(dockerfile: string): string {
  return `build:${dockerfile}`;
}

interface JoinState {
  marked: (file: string) => string | undefined;
  keyOf: (...names: (string | undefined)[]) => string | undefined;
  claim: (key: string, ...names: (string | undefined)[]) => void;
  fileEnv: Map<string, string | undefined>;
  builtBy: Map<string, { key: string; target?: string; args: Record<string, string>; envs: Set<string> }[]>;
}

/**
 * Format-declared processes keyed by identity: the service whose name, image or built Dockerfile they
 * share, else their own name; in the environment their path names, else the one their format gives.
 */
function joinProcesses(facts: ContributedFacts[], st: JoinState): { env: string; key: string; process: ProcessContribution }[] {
  const out: { env: string; key: string; process: ProcessContribution }[] = [];
  for (const f of facts) {
    for (const p of f.processes) {
      const env = st.marked(f.file) ?? p.defaultEnv ?? DEFAULT_ENV;
      st.fileEnv.set(f.file, env);
      const df = p.build ? joinRel(joinRel(dirOf(f.file), p.build.context), p.build.dockerfile ?? 'Dockerfile') : undefined;
      const key = st.keyOf(p.service, df && builds(df), imageBase(p.image)) ?? p.service;
      st.claim(key, p.service, df && builds(df), imageBase(p.image));
      if (df) {
        const links = st.builtBy.get(df) ?? [];
        const same = links.find((l) => l.key === key && l.target === undefined);
        if (same) same.envs.add(env);
        else st.builtBy.set(df, [...links, { key, args: {}, envs: new Set([env]) }]);
      }
      out.push({ env, key, process: p });
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
    if (v === undefined || !/^\d+$/.test(v) || env.some((x) => x.name === e.variable && x.literal)) return e;
    return { ...e, port: Number(v), literal: false };
  });
}

/** Selected pods in a stable order (by service, file, name), so the first one (the owner of findings) never depends on file order. */
/** Pods by environment, namespace and one label, so a selector looks at candidates only, not every pod. */
export function indexPods(workloadsByEnv: Map<string, WorkloadUnit[]>): Map<string, WorkloadUnit[]> {
  const byLabel = new Map<string, WorkloadUnit[]>();
  for (const [env, units] of workloadsByEnv) for (const w of units) for (const [k, val] of Object.entries(w.workload.labels)) push(byLabel, `${env}|${w.workload.namespace}|${k}=${val}`, w);
  return byLabel;
}

/** The pods a label selector selects, in owner order (none for an empty one: a Service selects nothing with it). */
export function selectFrom(index: Map<string, WorkloadUnit[]>, env: string, ns: string, selector: Record<string, string>): WorkloadUnit[] {
  const first = Object.entries(selector)[0];
  if (!first) return [];
  const [k, val] = first;
  return orderPods((index.get(`${env}|${ns}|${k}=${val}`) ?? []).filter((w) => matches(selector, w.workload.labels)));
}

export function orderPods(pods: WorkloadUnit[]): WorkloadUnit[] {
  return [...pods].sort((a, b) => a.service.localeCompare(b.service) || a.file.localeCompare(b.file) || a.workload.name.localeCompare(b.workload.name));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function declaredPorts(v: EnvView): PortDecl[] {
  const out: PortDecl[] = [];
  for (const w of v.workloads) {
    for (const p of w.main?.ports ?? []) {
      if (p.containerPort.port === undefined) continue;
      out.push({ port: p.containerPort.port, protocol: p.protocol, name: p.name, role: 'containerPort', text: roleText('containerPort'), loc: p.containerPort.loc, literal: p.containerPort.literal });
    }
  }
  if (v.compose) {
    for (const p of v.compose.service.ports) {
      if (p.container.port === undefined) continue;
      out.push({ port: p.container.port, protocol: p.protocol, role: 'composeContainer', text: roleText('composeContainer'), loc: p.container.loc, literal: p.container.literal });
    }
    for (const e of v.compose.service.expose) {
      if (e.port === undefined) continue;
      out.push({ port: e.port, protocol: e.protocol, role: 'composeExpose', text: roleText('composeExpose'), loc: e.loc, literal: e.literal });
    }
  }
  // What format-declared processes declare as the internal port: where they say it listens, else the
  // port their platform routes to (judged against the process by unserved-port, not the other way).
  const parts = v.processes.flatMap((p) => p.parts.ports).filter((p) => p.declares && p.port !== undefined);
  for (const p of parts) if (p.role === 'listens') out.push({ port: p.port as number, protocol: 'TCP', role: 'listens', text: p.text, loc: p.loc, literal: p.literal });
  if (out.length === 0) for (const p of parts) if (p.role === 'routed-to') out.push({ port: p.port as number, protocol: 'TCP', role: 'routed', text: p.text, loc: p.loc, literal: p.literal });
  if (out.length === 0 && v.image) {
    for (const e of v.image.exposes) {
      if (e.port === undefined) continue;
      out.push({ port: e.port, protocol: e.protocol, role: 'expose', text: roleText('expose'), loc: e.loc, literal: e.literal });
    }
  }
  return out;
}

/** The distinct internal ports of a view, in order of first declaration. */
export function portSet(decls: PortDecl[]): number[] {
  return [...new Set(decls.map((d) => d.port))];
}

/** Compose's merge: maps key by key, ports unique by mapping, command/entrypoint/healthcheck replaced. */
export function mergeCompose(base: ComposeService, over: ComposeService): ComposeService {
  // Keys the override tags `!override`/`!reset` start from nothing: the base's entries are dropped.
  const keep = (key: string): boolean => !over.replaced?.includes(key);
  const portKey = (p: ComposePort): string => `${p.hostIp ?? ''}|${p.host?.port ?? ''}|${p.container.port ?? p.container.raw}|${p.protocol}`;
  const ports = new Map<string, ComposePort>();
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
