// Kubernetes manifests: workloads' containers, ports, env and probes, and Services, with exact ranges.
import type { Node } from 'yaml';
import { LineIndex } from '../../text';
import type { ContainerPort, EnvVar, K8sBackend, K8sContainer, K8sFacts, K8sNetworkPolicy, K8sService, K8sServicePort, K8sWorkload, Loc, ProbeFact, Problem, Protocol, SourceFile, Suppression } from '../../types';
import { get, getKey, isMap, isProblem, isScalar, items, nodeLoc, pairs, parseYaml, path, readPort, readPortField, scalarText, str, stringMap, badPortName, badServicePortName } from '../../yaml';
import type { YamlDoc } from '../../yaml';
import { kubeletEnv, kubeletWords, parseCommand, wordsOfShell } from '../../extract/command';
import type { Word } from '../../extract/command';
import { commentSuppressions } from '../../extract/suppress';

const WORKLOADS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);
const IGNORE_ANNOTATION = 'port-parity/ignore';

/** True when a parsed YAML document is a Kubernetes object (apiVersion and kind). */
export function isKubernetesDoc(doc: YamlDoc): boolean {
  return isMap(doc.contents) && str(get(doc.contents, 'apiVersion')) !== undefined && str(get(doc.contents, 'kind')) !== undefined;
}

/**
 * `index`: the file's LineIndex when the caller has one; a Kustomize render passes one whose `of(node)`
 * is the index of the file (or inline patch) each node of its merged tree was read from.
 */
export function extractKubernetes(file: SourceFile, docs?: YamlDoc[], index?: LineIndex): K8sFacts {
  const ix = index && index.file === file.path && index.text === file.text ? index : new LineIndex(file.path, file.text);
  const facts: K8sFacts = { kind: 'kubernetes', file: file.path, workloads: [], services: [], configMaps: [], backends: [], networkPolicies: [], problems: [], suppressions: commentSuppressions(file.text) };
  try {
    const parsed = docs ?? parseYaml(file.text).docs;
    for (const doc of parsed) readObject(ix, doc.contents as Node | null, facts);
  } catch (e) {
    facts.problems.push({ message: `could not read Kubernetes manifest: ${(e as Error).message}`, loc: ix.loc(0, 0) });
  }
  return facts;
}

function readObject(ix: LineIndex, obj: Node | null | undefined, facts: K8sFacts): void {
  if (!isMap(obj)) return;
  const kind = str(get(obj, 'kind'));
  if (kind === 'List' || (kind?.endsWith('List') && get(obj, 'items'))) {
    for (const it of items(get(obj, 'items'))) readObject(ix, it, facts);
    return;
  }
  if (!kind) return;
  const meta = get(obj, 'metadata');
  // An object named by `generateName` (a hook Job's `before-`) is known by that prefix; the API adds a suffix.
  const nameNode = get(meta, 'name') ?? get(meta, 'generateName');
  const name = str(get(meta, 'name')) ?? str(get(meta, 'generateName'))?.replace(/-+$/, '') ?? '';
  const nameLoc = nameNode && isScalar(nameNode) ? scalarText(ix, nameNode).loc : nodeLoc(ix, obj);
  const namespace = str(get(meta, 'namespace')) ?? 'default';
  const ignore = str(path(meta, 'annotations', IGNORE_ANNOTATION));
  if (ignore !== undefined && obj.range) {
    const a = ix.of(obj).position(obj.range[0]);
    const b = ix.of(obj).position(obj.range[1]);
    facts.suppressions.push({ rules: ignore.split(',').map((s) => s.trim()).filter(Boolean), fromLine: a.line, toLine: b.line } satisfies Suppression);
  }
  if (kind === 'Service') {
    facts.services.push(readService(ix, obj, name, nameLoc, namespace, facts.problems));
    return;
  }
  if (kind === 'ConfigMap') {
    const data: EnvVar[] = [];
    for (const p of pairs(get(obj, 'data'))) if (p.value && isScalar(p.value)) data.push(envVar(ix, String(p.key.value), nodeLoc(ix, p.key), p.value));
    facts.configMaps.push({ name, namespace, data });
    return;
  }
  if (kind === 'Ingress') {
    readIngress(ix, obj, name, namespace, facts);
    return;
  }
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute' || kind === 'TCPRoute' || kind === 'TLSRoute' || kind === 'UDPRoute') {
    for (const rule of items(path(obj, 'spec', 'rules'))) {
      for (const b of items(get(rule, 'backendRefs'))) {
        const bkind = str(get(b, 'kind')) ?? 'Service';
        const group = str(get(b, 'group')) ?? '';
        const svcNode = get(b, 'name');
        if (bkind !== 'Service' || group !== '' || !svcNode || !isScalar(svcNode)) continue;
        const backend: K8sBackend = { from: `${kind} ${name}`, namespace: str(get(b, 'namespace')) ?? namespace, service: String(svcNode.value), serviceLoc: scalarText(ix, svcNode).loc };
        const pn = get(b, 'port');
        if (pn !== undefined) {
          const v = readPort(ix, pn, 'backendRefs.port', false, nodeLoc(ix, b));
          if (isProblem(v)) facts.problems.push(v);
          else backend.port = v;
        }
        facts.backends.push(backend);
      }
    }
    return;
  }
  if (kind === 'NetworkPolicy') {
    const spec = get(obj, 'spec');
    const labels = path(spec, 'podSelector', 'matchLabels');
    const selectorLocs: Record<string, Loc> = {};
    for (const p of pairs(labels)) if (isScalar(p.value)) selectorLocs[String(p.key.value)] = scalarText(ix, p.value).loc;
    const np: K8sNetworkPolicy = { name, namespace, podSelector: stringMap(labels), selectorLocs, nameLoc, ports: [] };
    // matchExpressions select in ways a label map cannot say: such a policy is not checked.
    if (path(spec, 'podSelector', 'matchExpressions')) return;
    for (const rule of items(get(spec, 'ingress'))) {
      for (const p of items(get(rule, 'ports'))) {
        const pn = get(p, 'port');
        if (pn === undefined) continue;
        const v = readPort(ix, pn, 'NetworkPolicy port', true, nodeLoc(ix, p));
        if (isProblem(v)) facts.problems.push(v);
        else {
          const end = Number(str(get(p, 'endPort')));
          np.ports.push({ ...v, protocol: protocolOf(ix, get(p, 'protocol'), facts.problems), ...(Number.isInteger(end) && end > 0 ? { endPort: end } : {}) });
        }
      }
    }
    facts.networkPolicies.push(np);
    return;
  }
  if (!WORKLOADS.has(kind)) {
    (facts.otherKinds ??= []).push(kind);
    unreadPods(ix, obj, kind, name, facts);
    return;
  }
  const podSpec = kind === 'Pod' ? get(obj, 'spec') : kind === 'CronJob' ? path(obj, 'spec', 'jobTemplate', 'spec', 'template', 'spec') : path(obj, 'spec', 'template', 'spec');
  const labels = kind === 'Pod' ? stringMap(get(meta, 'labels')) : kind === 'CronJob' ? stringMap(path(obj, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels')) : stringMap(path(obj, 'spec', 'template', 'metadata', 'labels'));
  const w: K8sWorkload = { kind, name, nameLoc, namespace, labels, containers: [], hostNetwork: str(get(podSpec, 'hostNetwork')) === 'true' };
  for (const c of items(get(podSpec, 'containers'))) w.containers.push(readContainer(ix, c, false, facts.problems));
  for (const c of items(get(podSpec, 'initContainers'))) w.containers.push(readContainer(ix, c, true, facts.problems));
  facts.workloads.push(w);
}

/**
 * An object of a kind Port Parity does not read (an Argo Rollout, a Knative Service, an OpenShift
 * DeploymentConfig) whose pod template declares ports or probes: said once, at its `kind`, never read
 * as a workload (its semantics are its controller's). Kinds with no containers carry no ports: nothing.
 */
function unreadPods(ix: LineIndex, obj: Node, kind: string, name: string, facts: K8sFacts): void {
  const spec = get(obj, 'spec');
  const podSpec = [path(spec, 'template', 'spec'), path(spec, 'jobTemplate', 'spec', 'template', 'spec')].find((p) => items(get(p, 'containers')).length > 0);
  const ported = items(get(podSpec, 'containers')).filter((c) => items(get(c, 'ports')).length > 0 || ['livenessProbe', 'readinessProbe', 'startupProbe'].some((k) => get(c, k) !== undefined));
  if (!ported.length) return;
  const at = getKey(obj, 'kind') ?? obj;
  facts.unknowns = [...(facts.unknowns ?? []), { message: `${kind} ${name || '(no name)'}: a kind Port Parity does not read; the ports and probes of its pod template (${ported.map((c) => str(get(c, 'name')) ?? '?').join(', ')}) are not checked`, loc: nodeLoc(ix, at) }];
}

function readIngress(ix: LineIndex, obj: Node, name: string, namespace: string, facts: K8sFacts): void {
  const spec = get(obj, 'spec');
  const backends: Node[] = [];
  const def = get(spec, 'defaultBackend') ?? get(spec, 'backend');
  if (def) backends.push(def);
  for (const rule of items(get(spec, 'rules'))) for (const p of items(path(rule, 'http', 'paths'))) {
    const b = get(p, 'backend');
    if (b) backends.push(b);
  }
  // networking.k8s.io/v1: service.name + service.port.number|name; the beta APIs: serviceName + servicePort.
  // v1 has no serviceName/servicePort (the API rejects them): reported at the key, and not read.
  const v1 = str(get(obj, 'apiVersion')) === 'networking.k8s.io/v1';
  for (const b of backends) {
    if (v1) legacyBackendKeys(ix, b, facts.problems);
    const svc = get(b, 'service');
    const svcNode = svc ? get(svc, 'name') : v1 ? undefined : get(b, 'serviceName');
    if (!svcNode || !isScalar(svcNode)) continue;
    const backend: K8sBackend = { from: `Ingress ${name}`, namespace, service: String(svcNode.value), serviceLoc: scalarText(ix, svcNode).loc };
    const portNode = svc ? (get(get(svc, 'port'), 'number') ?? get(get(svc, 'port'), 'name')) : get(b, 'servicePort');
    if (portNode !== undefined) {
      const v = readPort(ix, portNode, 'backend port', true, nodeLoc(ix, b));
      if (isProblem(v)) facts.problems.push(v);
      else backend.port = v;
    }
    facts.backends.push(backend);
  }
}

function legacyBackendKeys(ix: LineIndex, b: Node, problems: Problem[]): void {
  const instead: Record<string, string> = { serviceName: 'service.name', servicePort: 'service.port.number or service.port.name' };
  for (const key of ['serviceName', 'servicePort']) {
    const k = getKey(b, key);
    if (k) problems.push({ message: `${key} is not a field of a networking.k8s.io/v1 Ingress backend (the API rejects it; it belongs to extensions/v1beta1 and networking.k8s.io/v1beta1): write ${instead[key]}`, loc: nodeLoc(ix, k) });
  }
}

function protocolOf(ix: LineIndex, node: Node | undefined, problems: Problem[]): Protocol {
  const p = str(node);
  if (p === undefined) return 'TCP';
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p;
  problems.push({ message: `protocol "${p}" must be TCP, UDP or SCTP`, loc: nodeLoc(ix, node as Node) });
  return 'TCP';
}

function readContainer(ix: LineIndex, c: Node, init: boolean, problems: Problem[]): K8sContainer {
  const nameNode = get(c, 'name');
  const container: K8sContainer = {
    name: str(nameNode) ?? '',
    nameLoc: nameNode && isScalar(nameNode) ? scalarText(ix, nameNode).loc : nodeLoc(ix, c),
    image: str(get(c, 'image')),
    init,
    nativeSidecar: init && str(get(c, 'restartPolicy')) === 'Always',
    ports: [],
    env: [],
    probes: [],
    command: { ports: [], binds: [] },
    envFrom: [],
    envRefs: [],
  };
  for (const e of items(get(c, 'envFrom'))) {
    const cm = str(path(e, 'configMapRef', 'name'));
    if (cm) container.envFrom.push(cm);
  }
  // Every problem of an item is reported: a missing containerPort does not hide a bad name or protocol.
  for (const p of items(get(c, 'ports'))) {
    const v = readPortField(ix, p, 'containerPort', 'containerPort', false);
    if (isProblem(v)) problems.push(v);
    const protocol = protocolOf(ix, get(p, 'protocol'), problems);
    const nm = portName(ix, get(p, 'name'), badPortName, problems);
    if (isProblem(v)) {
      (container.unreadPorts ??= []).push({ name: str(get(p, 'name')), loc: v.loc });
      continue;
    }
    container.ports.push({ containerPort: v, protocol, ...(nm ? { name: nm.value, nameLoc: nm.loc } : {}) } satisfies ContainerPort);
  }
  for (const e of items(get(c, 'env'))) {
    const n = get(e, 'name');
    const v = get(e, 'value');
    const ref = path(e, 'valueFrom', 'configMapKeyRef');
    if (n && isScalar(n) && ref) {
      const cm = str(get(ref, 'name'));
      const key = str(get(ref, 'key'));
      if (cm && key) container.envRefs.push({ name: String(n.value), configMap: cm, key });
      continue;
    }
    if (!n || !isScalar(n) || !v || !isScalar(v)) continue;
    container.env.push(envVar(ix, String(n.value), nodeLoc(ix, n), v));
  }
  container.env = kubeletEnv(container.env);
  const envOf = (name: string): string | undefined => container.env.find((x) => x.name === name)?.value;
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = get(c, `${kind}Probe`);
    if (!probe) continue;
    for (const type of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = get(probe, type);
      if (!h) continue;
      const v = readPortField(ix, h, 'port', `${kind}Probe.${type}.port`, type !== 'grpc');
      if (isProblem(v)) problems.push(v);
      else container.probes.push({ kind, type, port: v } satisfies ProbeFact);
    }
  }
  // Each word keeps the index of its own text: a merged tree's command and args may come from two files.
  const words: Word[] = [];
  for (const field of ['command', 'args']) {
    const n = get(c, field);
    if (isScalar(n)) {
      const st = scalarText(ix, n);
      words.push(...wordsOfShell(ix.of(n), st.value, st.at, st.loc).map((w) => ({ ...w, ix: ix.of(n) })));
    }
    for (const a of items(n)) {
      if (!isScalar(a)) continue;
      const st = scalarText(ix, a);
      words.push({ text: st.value, at: st.at, loc: st.loc, ix: ix.of(a) });
    }
  }
  if (words.length) container.command = parseCommand(ix, kubeletWords(words, envOf), envOf);
  return container;
}

export function envVar(ix: LineIndex, name: string, nameLoc: Loc, v: Node): EnvVar {
  const st = isScalar(v) ? scalarText(ix, v) : { value: '', loc: nodeLoc(ix, v), at: undefined };
  const value = st.value;
  const isInt = /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
  const ev: EnvVar = { name, value, nameLoc, valueLoc: st.loc, literal: isInt && st.at !== undefined };
  if (isInt) ev.port = Number(value);
  return ev;
}

function readService(ix: LineIndex, obj: Node, name: string, nameLoc: Loc, namespace: string, problems: Problem[]): K8sService {
  const spec = get(obj, 'spec');
  const selNode = get(spec, 'selector');
  const type = str(get(spec, 'type'));
  const svc: K8sService = { name, nameLoc, namespace, ports: [] };
  if (str(get(spec, 'clusterIP')) === 'None') svc.headless = true;
  if (type === 'ExternalName') svc.externalName = true;
  // Labels without a value (`app:`) are not read: a selector left with none selects no pod Port Parity reads.
  const selector = type !== 'ExternalName' ? stringMap(selNode) : {};
  if (Object.keys(selector).length > 0) svc.selector = selector;
  const portNodes = items(get(spec, 'ports'));
  const names = new Set<string>();
  // Every problem of an item is reported: a missing port does not hide a bad name, targetPort or protocol.
  for (const p of portNodes) {
    const port = readPortField(ix, p, 'port', 'port', false);
    if (isProblem(port)) problems.push(port);
    const nm = portName(ix, get(p, 'name'), badServicePortName, problems);
    if (nm && names.has(nm.value)) problems.push({ message: `Service port name "${nm.value}" is used twice in Service ${name}: names must be unique`, loc: nm.loc });
    if (nm) names.add(nm.value);
    else if (portNodes.length > 1) problems.push({ message: `Service ${name} has ${portNodes.length} ports: each needs a name`, loc: nodeLoc(ix, p) });
    const protocol = protocolOf(ix, get(p, 'protocol'), problems);
    const target = readTarget(ix, p, problems);
    if (isProblem(port)) continue;
    svc.ports.push({ port, name: nm?.value, protocol, ...target });
  }
  return svc;
}

/** A port item's `name`, checked by `bad`; undefined when absent or empty. */
function portName(ix: LineIndex, node: Node | undefined, bad: (name: string) => string | undefined, problems: Problem[]): { value: string; loc: Loc } | undefined {
  if (!node || !isScalar(node) || node.value === null || node.value === '') return undefined;
  const st = scalarText(ix, node);
  const why = bad(st.value);
  if (why) problems.push({ message: why, loc: st.loc });
  return { value: st.value, loc: st.loc };
}

/** A Service port item's targetPort: set, unset or invalid. */
function readTarget(ix: LineIndex, p: Node, problems: Problem[]): Pick<K8sServicePort, 'targetPort' | 'unsetTarget' | 'invalidTarget'> {
  const tpNode = get(p, 'targetPort');
  if (tpNode === undefined) return {};
  // The API defaults targetPort 0, "" or null to port (SetDefaults_Service): unset, as if omitted.
  if (unsetTargetPort(tpNode)) return { unsetTarget: isScalar(tpNode) && tpNode.value === 0 ? '0' : isScalar(tpNode) && tpNode.value === '' ? '""' : 'null' };
  const tp = readPortField(ix, p, 'targetPort', 'targetPort', true);
  if (!isProblem(tp)) return { targetPort: tp };
  problems.push(tp);
  return { invalidTarget: true };
}

/** True when a Service targetPort means "use port": absent, null, "" or 0. */
function unsetTargetPort(node: Node): boolean {
  if (!isScalar(node)) return false;
  return node.value === null || node.value === '' || node.value === 0;
}
