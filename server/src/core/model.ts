// The workspace model: which files make up each service, in which environment, and its internal ports.
import type { Config, ContractEntry } from './config';
import { compareEnvs, DEFAULT_ENV, envMatcher, normalizeEnv } from './environments';
import { Join, joinCompose, joinDockerfiles, joinDotenvs, joinKubernetes, joinProcesses, joinRel, push } from './join';
import type { ComposeEnvUnit, ComposeUnit, DockerImage, DotenvUnit, ImageUnit, K8sUnits, ProcessUnit, WorkloadUnit } from './join';
import type { ProcessContribution } from './contributions';
import { dirOf } from './paths';
import type {
  ComposeFacts, ContributedFacts, DockerfileFacts, DotenvFacts, EnvVar, FileFacts, K8sBackend, K8sConfigMap, K8sFacts, K8sNetworkPolicy, K8sService, Loc, Protocol,
} from './types';

export { imageBase, mergeCompose } from './join';
export type { ComposeUnit, DockerImage, WorkloadUnit } from './join';

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

export interface ServiceUnit {
  svc: K8sService;
  file: string;
  /** Workloads in the same environment and namespace whose pod labels match the selector. */
  selected: WorkloadUnit[];
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
  const j = new Join(envMatcher(config.environments));
  const facts = new Map(factsList.map((f) => [f.file, f]));
  const byKind = partition(factsList, j);
  // Identity, in order of authority: compose services, then platform processes, workloads, images, .env files.
  const compose = joinCompose(byKind.compose, j);
  const processes = joinProcesses(byKind.contributed, j);
  const k8s = joinKubernetes(byKind.k8s, j);
  const images = joinDockerfiles(byKind.dockerfiles, j, !!context, context?.soleService);
  const dotenvs = joinDotenvs(byKind.dotenvs, j, new Set(byKind.compose.keys()), images);
  const envs = environments(compose, processes, k8s, images, dotenvs, j, context);
  const views = new Views();
  const composeByEnv = new Map<string, ComposeUnit[]>();
  for (const c of compose) {
    views.view(j.keyOf(c.unit.service.name) ?? c.unit.service.name, c.env).compose = c.unit;
    push(composeByEnv, c.env, c.unit);
    envs.envSet.add(c.env);
  }
  for (const x of processes) views.view(x.key, x.env).processes.push(x.process);
  const placed = placeKubernetes(k8s, views, envs, j);
  const tableEnvs = [...envs.envSet].sort(compareEnvs);
  placeImagesAndDotenvs(images, dotenvs, views);
  const allEnvs = new Set(tableEnvs);
  for (const s of views.services.values()) for (const env of s.views.keys()) allEnvs.add(env);
  for (const s of views.services.values()) finishService(s, facts, config);
  const modelEnvs = context ? context.envs : [...allEnvs].sort(compareEnvs);
  const { fileEnv } = j;
  return {
    context: context ?? { ...envs.computed, envs: modelEnvs },
    partial: !!context,
    config,
    envs: modelEnvs,
    services: views.services,
    facts,
    fileEnv,
    composeByEnv,
    ...placed,
    envOfFile: (file) => (fileEnv.has(file) ? fileEnv.get(file) : j.marked(file)),
  };
}

/** The facts by kind (compose files by folder), and every file's own environment by its path (later phases refine it). */
function partition(factsList: FileFacts[], j: Join): { compose: Map<string, ComposeFacts[]>; dockerfiles: DockerfileFacts[]; k8s: K8sFacts[]; dotenvs: DotenvFacts[]; contributed: ContributedFacts[] } {
  const out = { compose: new Map<string, ComposeFacts[]>(), dockerfiles: [] as DockerfileFacts[], k8s: [] as K8sFacts[], dotenvs: [] as DotenvFacts[], contributed: [] as ContributedFacts[] };
  for (const f of factsList) if (!(f.kind === 'kubernetes' && f.env)) j.fileEnv.set(f.file, j.marked(f.file));
  for (const f of factsList) {
    if (f.kind === 'compose') push(out.compose, dirOf(f.file), f);
    else if (f.kind === 'dockerfile') out.dockerfiles.push(f);
    else if (f.kind === 'kubernetes') out.k8s.push(f);
    else if (f.kind === 'dotenv') out.dotenvs.push(f);
    else if (f.kind === 'contributed') out.contributed.push(f);
  }
  return out;
}

interface Envs {
  envSet: Set<string>;
  /** The environments an unmarked manifest applies to. */
  baseK8sEnvs: string[];
  markedWorkloadEnvs: Map<string, Set<string>>;
  markedServiceEnvs: Map<string, Set<string>>;
  computed: Omit<ModelContext, 'envs'>;
}

/** Environments: every marker seen, `local` for unmarked compose; unmarked manifests fill the rest (a part takes the whole's). */
function environments(compose: ComposeEnvUnit[], processes: ProcessUnit[], k8s: K8sUnits, images: ImageUnit[], dotenvs: DotenvUnit[], j: Join, context?: ModelContext): Envs {
  const envSet = new Set<string>();
  for (const c of compose) envSet.add(c.env);
  for (const x of [...k8s.workloads, ...k8s.services, ...images, ...dotenvs, ...processes]) if (x.env) envSet.add(x.env);
  let baseK8sEnvs = [...new Set([...k8s.workloads, ...k8s.services].map((x) => x.env).filter((x): x is string => !!x))];
  // Without environment-marked manifests, a base applies where other deployment files name an environment
  // (a Dockerfile.prod, .env.staging); environments that only Compose files name are Compose's own.
  if (baseK8sEnvs.length === 0) baseK8sEnvs = [...new Set([...images, ...dotenvs].map((x) => x.env).filter((e): e is string => !!e && e !== 'local'))];
  const hasUnmarkedK8s = k8s.workloads.some((x) => !x.env) || k8s.services.some((x) => !x.env);
  if (baseK8sEnvs.length === 0 && hasUnmarkedK8s) baseK8sEnvs = [DEFAULT_ENV];
  // Which environments an unmarked manifest applies to: those that do not have the service themselves.
  const markedWorkloadEnvs = new Map<string, Set<string>>();
  for (const x of k8s.workloads) if (x.env) markedWorkloadEnvs.set(x.unit.service, (markedWorkloadEnvs.get(x.unit.service) ?? new Set()).add(x.env));
  const markedServiceEnvs = new Map<string, Set<string>>();
  for (const x of k8s.services) if (x.env) markedServiceEnvs.set(x.svc.name, (markedServiceEnvs.get(x.svc.name) ?? new Set()).add(x.env));
  const orchestrated = j.keys();
  const computed = { envSet: [...envSet], baseK8sEnvs: [...baseK8sEnvs], soleService: orchestrated.size === 1 ? [...orchestrated][0] : undefined, markedWorkloadEnvs, markedServiceEnvs };
  if (context) {
    envSet.clear();
    for (const e of context.envSet) envSet.add(e);
    baseK8sEnvs = [...context.baseK8sEnvs];
    // A part may hold a service's unmarked manifest without the marked ones: the whole workspace says.
    for (const [from, into] of [[context.markedWorkloadEnvs, markedWorkloadEnvs], [context.markedServiceEnvs, markedServiceEnvs]] as const) {
      for (const [k, envs] of from) for (const e of envs) into.set(k, (into.get(k) ?? new Set()).add(e));
    }
  }
  return { envSet, baseK8sEnvs, markedWorkloadEnvs, markedServiceEnvs, computed };
}

/** The services and their views, made on first mention. */
class Views {
  readonly services = new Map<string, ServiceModel>();
  view(key: string, env: string): EnvView {
    let s = this.services.get(key);
    if (!s) this.services.set(key, (s = { name: key, views: new Map() }));
    let v = s.views.get(env);
    if (!v) s.views.set(env, (v = { service: key, env, workloads: [], k8sServices: [], dotenvs: [], envFileVars: [], processes: [], declared: [] }));
    return v;
  }
  /** The environments a service runs in so far. */
  runEnvs(key: string): string[] {
    const s = this.services.get(key);
    return s ? [...s.views.keys()] : [];
  }
}

type Placed = Pick<Model, 'workloadsByEnv' | 'servicesByEnv' | 'backendsByEnv' | 'policiesByEnv' | 'podIndex'>;

/** Kubernetes objects into their environments (unmarked ones where no marked one overrides them), Services with the pods they select. */
function placeKubernetes(k8s: K8sUnits, views: Views, envs: Envs, j: Join): Placed {
  const workloadsByEnv = new Map<string, WorkloadUnit[]>();
  const servicesByEnv = new Map<string, ServiceUnit[]>();
  for (const x of k8s.workloads) {
    for (const env of x.env ? [x.env] : envs.baseK8sEnvs.filter((e) => !envs.markedWorkloadEnvs.get(x.unit.service)?.has(e))) {
      views.view(x.unit.service, env).workloads.push(x.unit);
      push(workloadsByEnv, env, x.unit);
      envs.envSet.add(env);
    }
  }
  const podIndex = indexPods(workloadsByEnv);
  for (const x of k8s.services) {
    for (const env of x.env ? [x.env] : envs.baseK8sEnvs.filter((e) => !envs.markedServiceEnvs.get(x.svc.name)?.has(e))) {
      const selected = x.svc.selector ? selectFrom(podIndex, env, x.svc.namespace, x.svc.selector) : [];
      const unit: ServiceUnit = { svc: x.svc, file: x.file, selected };
      const owner = selected[0]?.service ?? j.keyOf(x.svc.name);
      if (owner) views.view(owner, env).k8sServices.push(unit);
      push(servicesByEnv, env, unit);
    }
  }
  // ConfigMaps, routing objects and NetworkPolicies: in their own environment, or as bases where not overridden.
  const spread = <U extends { env?: string }>(units: U[], nameOf: (u: U) => string, each: (env: string, u: U) => void): void => {
    const markedEnvs = new Map<string, Set<string>>();
    for (const u of units) if (u.env) markedEnvs.set(nameOf(u), (markedEnvs.get(nameOf(u)) ?? new Set()).add(u.env));
    for (const u of units) for (const env of u.env ? [u.env] : envs.baseK8sEnvs.filter((e) => !markedEnvs.get(nameOf(u))?.has(e))) each(env, u);
  };
  const configMaps = new Map<string, K8sConfigMap>();
  spread(k8s.configMaps, (u) => `${u.cm.namespace}/${u.cm.name}`, (env, u) => configMaps.set(`${env}|${u.cm.namespace}/${u.cm.name}`, u.cm));
  resolveConfigEnv(workloadsByEnv, configMaps);
  const backendsByEnv = new Map<string, { backend: K8sBackend; file: string }[]>();
  spread(k8s.backends, (u) => `${u.backend.namespace}|${u.backend.from}`, (env, u) => push(backendsByEnv, env, u));
  const policiesByEnv = new Map<string, { policy: K8sNetworkPolicy; file: string }[]>();
  spread(k8s.policies, (u) => `${u.policy.namespace}/${u.policy.name}`, (env, u) => push(policiesByEnv, env, u));
  return { workloadsByEnv, servicesByEnv, backendsByEnv, policiesByEnv, podIndex: () => podIndex };
}

/** The main container's variables from ConfigMaps (`envFrom`, then `configMapKeyRef`), per environment. */
function resolveConfigEnv(workloadsByEnv: Map<string, WorkloadUnit[]>, configMaps: Map<string, K8sConfigMap>): void {
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
}

/** Images and .env files join the environments where the service runs (their own marked ones aside). */
function placeImagesAndDotenvs(images: ImageUnit[], dotenvs: DotenvUnit[], views: Views): void {
  const ownImageEnvs = new Map<string, string[]>();
  for (const i of images) if (i.env && i.primary) push(ownImageEnvs, i.key, i.env);
  const ownDotenvEnvs = new Map<string, string[]>();
  for (const d of dotenvs) if (d.env) push(ownDotenvEnvs, d.key, d.env);
  for (const img of images) {
    if (!img.primary) continue;
    const own = ownImageEnvs.get(img.key) ?? [];
    let targets = img.env ? [img.env] : views.runEnvs(img.key).filter((e) => !own.includes(e));
    if (targets.length === 0 && !img.env) targets = views.services.has(img.key) ? [] : [DEFAULT_ENV];
    for (const env of targets) views.view(img.key, env).image = img.image;
  }
  // What a compose project builds is the image it runs, whatever other Dockerfiles' names suggest.
  for (const img of images) for (const env of img.builtIn ?? []) views.view(img.key, env).image = img.image;
  for (const d of dotenvs) {
    const own = ownDotenvEnvs.get(d.key) ?? [];
    const targets = d.env ? [d.env] : views.runEnvs(d.key).filter((e) => !own.includes(e));
    for (const env of targets) views.view(d.key, env).dotenvs.push(d.facts);
  }
}

/** env_file variables and the declared internal ports of every view; views in table order; the contract and the reference. */
function finishService(s: ServiceModel, facts: Map<string, FileFacts>, config: Config): void {
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
  // Own keys only: a service named like an Object property (constructor, toString) has no contract.
  s.contract = Object.hasOwn(config.services, s.name) ? config.services[s.name] : undefined;
  // The configured reference, else the environment closest to production that declares the service.
  const have = [...s.views.keys()].filter((e) => (s.views.get(e) as EnvView).declared.length > 0);
  const preference = [normalizeEnv(config.reference), 'production', 'staging', 'test', 'local', DEFAULT_ENV, ...have.sort(compareEnvs)];
  s.reference = preference.find((e) => have.includes(e));
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
