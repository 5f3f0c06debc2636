// The plain data that flows through the core: files in, facts, a model, findings out.

/** A file of the workspace: path relative to the workspace root, '/'-separated. */
export interface SourceFile {
  path: string;
  text: string;
}

/** An exact source range. Offsets index the file text; line/col are 0-based (UTF-16 columns). */
export interface Loc {
  file: string;
  start: number;
  end: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/**
 * A port as written somewhere. `port` is set when the value is (or resolves to) a number,
 * `name` when it is a named port reference. `literal` means the token at `loc` is exactly the
 * decimal number, so a fix may replace that range with another number.
 */
export interface PortValue {
  port?: number;
  name?: string;
  raw: string;
  loc: Loc;
  literal: boolean;
  /** The variable an unresolved `$VAR` referred to. */
  variable?: string;
}

/** A problem found while reading a file (malformed values); reported by `invalid-port`. */
export interface Problem {
  message: string;
  loc: Loc;
}

/** A variable set for a process (Dockerfile ENV, compose environment, container env, .env line). */
export interface EnvVar {
  name: string;
  value: string;
  nameLoc: Loc;
  /** The value token; for a port-like value this is the number itself. */
  valueLoc: Loc;
  /** The value is exactly the integer, editable by a fix. */
  port?: number;
  literal: boolean;
}

/** A port taken from a start command: `--port 8000`, `-b 0.0.0.0:8000`, `--urls http://+:8080`. */
export interface CommandPort extends PortValue {
  flag: string;
  /** The server's main listening flag (`--port`, `--bind`), as opposed to e.g. `--metrics-port`. */
  primary: boolean;
}

/** A host a process binds to, from a flag or a variable. */
export interface BindFact {
  host: string;
  loc: Loc;
  via: string;
  /** True when the host is the server's default (no flag given), `loc` then covers the command. */
  defaulted?: boolean;
  /** The variable the host came from (`--host $HOST`, `--host=$(HOST)` in a container's args). */
  variable?: string;
}

export interface CommandInfo {
  ports: CommandPort[];
  binds: BindFact[];
  /** Arguments that name another service (`--redis redis:6379`, `http://api:8080`), for reference-port. */
  addresses?: EnvVar[];
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup' | 'healthcheck';

/** A health check that connects to a port. */
export interface ProbeFact {
  kind: ProbeKind;
  type: 'httpGet' | 'tcpSocket' | 'grpc' | 'command';
  port: PortValue;
  /** Host named in a command health check URL (`curl http://store-front:80/`). */
  host?: string;
}

/** `# port-parity-ignore rule [reason]` comments and `port-parity/ignore` annotations of one file. */
export interface Suppression {
  rules: string[];
  /** 0-based first and last line the suppression covers. */
  fromLine: number;
  toLine: number;
}

export interface DockerExpose extends PortValue {
  protocol: Protocol;
  /** For a range `8000-8010`, the last port. */
  rangeEnd?: number;
  /**
   * Where a variable without a value (`variable`, no `port`) is declared as an ARG: `stage`, an ARG of
   * the stage (directly or through an ENV that passes it on), which the build supplies (`--build-arg`,
   * compose `build.args`, a platform's build args); `global`, only an ARG before the first FROM, which a
   * stage sees only after its own `ARG NAME`. Absent: no ARG declares it.
   */
  argScope?: 'stage' | 'global';
}

/** A stage's FROM instruction, and where a new EXPOSE line goes: after its last EXPOSE, else before its CMD or ENTRYPOINT, else at its end. */
export interface ExposePlace {
  from: Loc;
  /** The offset a line is inserted at (the start of a line, or the end of a text without a final newline). */
  at: Loc;
  /** `at` is the end of a text without a final newline: an inserted line starts with one. */
  newline?: boolean;
  /** The file's line ending, which an inserted line keeps. */
  eol: '\n' | '\r\n';
  /** The image the stage starts from, through earlier stages (`python:3.12-slim`); its own EXPOSE is inherited. */
  base?: string;
}

export interface DockerfileFacts {
  kind: 'dockerfile';
  file: string;
  /** The final stage's facts. */
  exposes: DockerExpose[];
  env: EnvVar[];
  command: CommandInfo;
  healthchecks: ProbeFact[];
  /** Stage names, for a compose build `target`. */
  stages: { name?: string; exposes: DockerExpose[]; env: EnvVar[]; command: CommandInfo; healthchecks: ProbeFact[]; place?: ExposePlace }[];
  /** The final stage's FROM and where an EXPOSE line would go in it. */
  place?: ExposePlace;
  /** The image's name by its OCI labels (the repository of `org.opencontainers.image.source`, or a `title` that is a name). */
  labelled?: string;
  /** What was left unread, and why (a bound hit, an alias not followed): reported as info by skipped-source. */
  unknowns?: Problem[];
  problems: Problem[];
  suppressions: Suppression[];
}

export interface ComposePort {
  container: PortValue;
  host?: PortValue;
  hostIp?: string;
  protocol: Protocol;
  /** Number of ports in a range mapping (1 for a single port). */
  count: number;
  /** The whole entry, to tell merged duplicates apart. */
  loc: Loc;
}

export interface ComposeService {
  name: string;
  nameLoc: Loc;
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args: Record<string, string> };
  containerName?: string;
  aliases: string[];
  ports: ComposePort[];
  expose: (PortValue & { protocol: Protocol })[];
  environment: EnvVar[];
  envFiles: string[];
  command?: CommandInfo;
  entrypoint?: CommandInfo;
  healthchecks: ProbeFact[];
  /** `healthcheck` given: an override replaces the base's. */
  hasHealthcheck: boolean;
  networkModeHost: boolean;
  /** Keys tagged `!override` or `!reset` in this file: they replace the base's value instead of merging. */
  replaced?: string[];
  /** `extends:` (`service`, or `{file, service}` with `file` relative to this file's folder), at its key. */
  extends?: { service: string; file?: string; loc: Loc };
  /** `profiles:`: the service starts only when one of them is enabled. */
  profiles?: string[];
  /** Set by the join: the files and services its `extends` chain read (`file|service`), nearest first. */
  inherits?: { file: string; service: string }[];
}

/** A top-level `include:` item: files read as one project whose services join the including one. */
export interface ComposeInclude {
  /** Relative to the including file's folder; several are merged as overrides. */
  paths: string[];
  loc: Loc;
}

export interface ComposeFacts {
  kind: 'compose';
  file: string;
  services: ComposeService[];
  /** `COMPOSE_FILE` of the project folder's `.env`: the files Compose reads as the project, relative to the folder. */
  composeFile?: string[];
  /** An override `port-parity local` wrote: part of a project only where COMPOSE_FILE lists it. */
  writtenByLocal?: boolean;
  /** `COMPOSE_PROFILES` of the project folder's `.env`: the profiles enabled when the project runs. */
  profilesEnabled?: string[];
  /** Top-level `include:` (Compose 2.20+). */
  includes?: ComposeInclude[];
  /** A port token set in the folder's `.env` (`file|start`) and the compose text that uses it (engine: a related location). */
  vias?: Map<string, { loc: Loc; text: string }>;
  /** Every service the file defines, when `services` holds only some (a file read for some of its services). */
  names?: string[];
  /** What was left unread, and why (a bound hit, an alias not followed): reported as info by skipped-source. */
  unknowns?: Problem[];
  problems: Problem[];
  suppressions: Suppression[];
}

export interface ContainerPort {
  containerPort: PortValue;
  name?: string;
  nameLoc?: Loc;
  protocol: Protocol;
}

export interface K8sContainer {
  name: string;
  nameLoc: Loc;
  image?: string;
  /** An init container (ordinary init containers serve no ports). */
  init: boolean;
  /** A native sidecar: an init container with `restartPolicy: Always`. */
  nativeSidecar: boolean;
  ports: ContainerPort[];
  /**
   * Port items whose number could not be read (missing, empty or not a port; in a chart, a value the
   * evaluator left out). Rules do not judge a probe, targetPort or policy port that might be one of them.
   */
  unreadPorts?: { name?: string; loc: Loc }[];
  env: EnvVar[];
  probes: ProbeFact[];
  command: CommandInfo;
  /** `envFrom: [{configMapRef: {name}}]`, in order. */
  envFrom: string[];
  /** `env: [{name, valueFrom: {configMapKeyRef: {name, key}}}]`. */
  envRefs: { name: string; configMap: string; key: string }[];
}

export interface K8sWorkload {
  kind: string;
  name: string;
  /** For a Kustomize render that renamed it (namePrefix/nameSuffix), its name in the base: the service it is in every environment. */
  baseName?: string;
  nameLoc: Loc;
  namespace: string;
  /** Pod template labels (what Services select). */
  labels: Record<string, string>;
  containers: K8sContainer[];
  hostNetwork: boolean;
}

export interface K8sServicePort {
  port: PortValue;
  /** Absent when the manifest omits it or leaves it unset (it then equals `port`). */
  targetPort?: PortValue;
  /** The targetPort as written when it is there but unset (`0`, `""`, null): the API then uses `port`. */
  unsetTarget?: string;
  /** The manifest gives a targetPort that is not valid (reported by invalid-port). */
  invalidTarget?: boolean;
  name?: string;
  protocol: Protocol;
}

export interface K8sService {
  name: string;
  nameLoc: Loc;
  namespace: string;
  /** Absent: a Service without selector (hand-made Endpoints), never checked against pods. */
  selector?: Record<string, string>;
  /** `clusterIP: None`: clients reach the pods directly, on their container ports. */
  headless?: boolean;
  /** `type: ExternalName`: a DNS alias for an outside host; its ports are never used. */
  externalName?: boolean;
  ports: K8sServicePort[];
}

/** A ConfigMap's `data`, each entry an EnvVar (the key and its value's exact range). */
export interface K8sConfigMap {
  name: string;
  namespace: string;
  data: EnvVar[];
}

/** A backend that routes to a Service port: Ingress, HTTPRoute/GRPCRoute backendRefs. */
export interface K8sBackend {
  /** What routes: `Ingress web`, `HTTPRoute shop`. */
  from: string;
  namespace: string;
  service: string;
  serviceLoc: Loc;
  /** Absent: the object gives none (a Gateway API backendRef to a Service must give one). */
  port?: PortValue;
}

/** A NetworkPolicy's ingress ports, for the pods its podSelector selects. */
export interface K8sNetworkPolicy {
  name: string;
  namespace: string;
  /** Empty: every pod in the namespace. */
  podSelector: Record<string, string>;
  /** Each matchLabels value's token, by label (where a typo in the selector is fixed). */
  selectorLocs?: Record<string, Loc>;
  nameLoc?: Loc;
  /** `endPort` makes the entry a range `port`-`endPort`. */
  ports: (PortValue & { protocol: Protocol; endPort?: number })[];
}

export interface K8sFacts {
  kind: 'kubernetes';
  /** The manifest's path; for a render (a Helm chart or a kustomization in one environment), a virtual id `dir#env`. */
  file: string;
  /** Set for renders: the environment they are, instead of one inferred from `file`. */
  env?: string;
  /** Set for renders: that the values come from a render, and of what (`Helm chart deploy/chart`, `kustomization overlays/prod`). */
  renderedFrom?: string;
  /** What a render could not follow (a remote resource, a template value): reported as info, never guessed. */
  unknowns?: Problem[];
  /** The kinds of the objects read over (a Namespace, an Istio VirtualService): `explain --files` names them. */
  otherKinds?: string[];
  /** Chart renders, when `helm template` was run too: where its render and the evaluator's disagree. */
  helmMismatches?: Problem[];
  /** Renders: for a token set in a values file (`file|start`), the template expression that uses it. */
  vias?: Map<string, { loc: Loc; text: string }>;
  workloads: K8sWorkload[];
  services: K8sService[];
  configMaps: K8sConfigMap[];
  backends: K8sBackend[];
  networkPolicies: K8sNetworkPolicy[];
  problems: Problem[];
  suppressions: Suppression[];
}

export interface DotenvFacts {
  kind: 'dotenv';
  file: string;
  vars: EnvVar[];
  /** What was left unread, and why (a bound hit, an alias not followed): reported as info by skipped-source. */
  unknowns?: Problem[];
  problems: Problem[];
  suppressions: Suppression[];
}

/** A file a format plug-in reads into format-blind processes (a platform manifest). */
export interface ContributedFacts {
  kind: 'contributed';
  /** The plug-in that read it. */
  format: string;
  file: string;
  processes: ProcessContribution[];
  /** What was left unread, and why: reported as info by skipped-source. */
  unknowns?: Problem[];
  problems: Problem[];
  suppressions: Suppression[];
}

/** A file the core read but that carries no port facts (not a manifest, a template, unparsable). */
export interface SkippedFacts {
  kind: 'skipped';
  file: string;
  reason: string;
  /** What was left unread, and why (a bound hit, an alias not followed): reported as info by skipped-source. */
  unknowns?: Problem[];
  problems: Problem[];
  suppressions: Suppression[];
}

export type FileFacts = DockerfileFacts | ComposeFacts | K8sFacts | DotenvFacts | ContributedFacts | SkippedFacts;

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  loc: Loc;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Related {
  loc: Loc;
  message: string;
}

/** The values a rule's message template takes (`{{name}}`), already worded: lists, environments, locations. */
export type MessageData = Readonly<Record<string, string | number>>;

/**
 * What a rule returns: the id of one of its declared messages (`meta.messages`) and the values for its
 * placeholders; the engine words the message, applies severity, suppression and config.
 */
export interface RawFinding {
  rule: string;
  messageId: string;
  data?: MessageData;
  loc: Loc;
  service?: string;
  environment?: string;
  related: Related[];
  fix?: Fix;
}

export interface Finding extends RawFinding {
  /** The rule's template for `messageId` with `data` put in (clipped when huge). */
  message: string;
  severity: Severity;
}

// What a format contributes to a service's view, format-blind (gathered by parts.ts).

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
  /** For a range (`EXPOSE 8000-8010`), its last port. */
  through?: number;
  /** Where the format says (a containerPort's or EXPOSE's protocol); TCP when absent. */
  protocol?: Protocol;
  /** The port's name, where the format names ports (a containerPort's `name`). */
  name?: string;
}

/** Variables that reach the process, and how strongly: a higher precedence hides a lower one of the same name. */
export interface VarsPart {
  /** Where they are set, in words: "Dockerfile ENV", ".env", "compose environment". */
  layer: string;
  precedence: number;
  vars: EnvVar[];
}

/** A start command: the orchestrator's, where it sets one that counts, runs in place of the image's. */
export interface CommandPart {
  command: CommandInfo;
  from: 'orchestrator' | 'image';
  /**
   * Arguments that run in place of the image's command but set no port or bind (a container's `args`
   * with `--upstream=http://api:8080`): read for the services they call, not for where the process listens.
   */
  callsOnly?: boolean;
}

/** What one format contributes to one view. */
export interface ViewParts {
  ports: PortPart[];
  vars: VarsPart[];
  commands: CommandPart[];
  /** The files the view's facts came from in this format (what an edit of them may change). */
  files: string[];
  /**
   * The process shares its loopback with others: the host's (host networking) or its pod's (other
   * containers beside it). A loopback bind is then reachable by them: not a mistake in itself.
   */
  sharedLoopback?: boolean;
  /**
   * The folder of the project that runs the process (a compose project's), where the format has one:
   * two views run by projects of different folders that no environment marks are different stacks.
   */
  project?: string;
  /** Names the process answers to on its network besides the service's (a compose container_name, aliases). */
  hosts?: string[];
  /** Where the format's own files name the service (a compose service's key, a manifest's workload name): code lenses stand there. */
  anchors?: Loc[];
}

/** What a format's `lower(view)` gives: a view's parts but its port tokens (those come from `ports(view)`). */
export type LoweredParts = Omit<ViewParts, 'ports'>;

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
  build?: { context: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  /** The environment when the file's path names none (a platform manifest deploys: `production`). */
  defaultEnv?: string;
  parts: ViewParts;
}
