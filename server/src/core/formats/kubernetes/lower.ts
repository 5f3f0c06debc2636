// What Kubernetes objects contribute to a view (plain manifests, chart and overlay renders alike): the
// main container's variables (its env and the ConfigMaps it loads) and command, the loopback it shares;
// and the port tokens of the workloads' containers (the main one's and sidecars') and the Services.
import type { EnvView } from '../../model-types';
import { emptyLowering, PRECEDENCE } from '../../contributions';
import type { LoweredParts, PortPart } from '../../contributions';
import { isOwnPortVar } from '../../port-names';
import { k8sServicesOf, workloadsOf } from './join';

export function lowerKubernetes(v: EnvView): LoweredParts | undefined {
  const workloads = workloadsOf(v);
  const services = k8sServicesOf(v);
  if (workloads.length === 0 && services.length === 0) return undefined;
  const out = emptyLowering();
  for (const w of workloads) {
    out.vars.push({ layer: 'ConfigMap', precedence: PRECEDENCE.orchestrator, vars: w.configEnv.get(v.env) ?? [] });
    out.vars.push({ layer: 'container env', precedence: PRECEDENCE.orchestrator, vars: w.main?.env ?? [] });
    // A container's command and args count where they set a port or a bind; else the image's CMD says.
    if (w.main && (w.main.command.ports.length || w.main.command.binds.length)) out.commands.push({ command: w.main.command, from: 'orchestrator' });
    else if (w.main?.command.addresses?.length) out.commands.push({ command: w.main.command, from: 'orchestrator', callsOnly: true });
    out.files.push(w.file, ...(w.configEnv.get(v.env) ?? []).map((e) => e.valueLoc.file));
    // Host networking shares the node's loopback; several containers in a pod share theirs (sidecars on localhost).
    if (w.workload.hostNetwork || w.workload.containers.filter((c) => !c.init || c.nativeSidecar).length > 1) out.sharedLoopback = true;
    // A manifest's own workload (not a render's) carries the service's code lens.
    if (w.workload.nameLoc.file === w.file) out.anchors = [...(out.anchors ?? []), w.workload.nameLoc];
  }
  for (const u of services) out.files.push(u.file);
  return out;
}

/** The main containers' ports: they declare the service's internal port. */
export function kubernetesDeclares(v: EnvView): PortPart[] {
  const out: PortPart[] = [];
  for (const w of workloadsOf(v)) for (const p of w.main?.ports ?? []) if (p.containerPort.port !== undefined) out.push({ role: 'listens', loc: p.containerPort.loc, port: p.containerPort.port, literal: p.containerPort.literal, text: 'container port', internal: true, aligns: true, declares: true, protocol: p.protocol, name: p.name });
  return out;
}

export function kubernetesPorts(v: EnvView): PortPart[] {
  const out: PortPart[] = [];
  const internal = new Set(v.declared.map((d) => d.port));
  const workloads = workloadsOf(v);
  out.push(...kubernetesDeclares(v));
  for (const w of workloads) {
    for (const c of w.workload.containers) {
      const main = c === w.main;
      const side = main ? '' : ` of sidecar ${c.name}`;
      if (!main) for (const p of c.ports) out.push({ role: 'listens', loc: p.containerPort.loc, port: p.containerPort.port, literal: p.containerPort.literal, text: `container port${side}, not the service's own`, internal: false, aligns: false });
      for (const p of c.probes) out.push({ role: 'probed', loc: p.port.loc, port: p.port.port, literal: p.port.literal, text: `${p.kind} probe port${side}${p.port.name ? ` (named ${p.port.name})` : ''}`, internal: main && internal.has(p.port.port ?? -1), aligns: main });
      for (const p of c.command.ports) out.push({ role: 'listens', loc: p.loc, port: p.port, literal: p.literal, text: `listening flag ${p.flag}${side}`, internal: main && p.primary, aligns: main && p.primary });
      for (const e of c.env) if (e.port !== undefined && isOwnPortVar(e.name, v.service)) out.push({ role: 'listens', loc: e.valueLoc, port: e.port, literal: e.literal, text: `${e.name} variable`, internal: main, aligns: main });
    }
  }
  for (const u of k8sServicesOf(v)) {
    for (const p of u.svc.ports) {
      const tp = p.targetPort;
      const target = tp ? (tp.name ?? String(tp.port)) : String(p.port.port);
      const resolved = tp?.name ? workloads.flatMap((w) => w.main?.ports ?? []).find((x) => x.name === tp.name)?.containerPort.port : (tp?.port ?? p.port.port);
      const to = resolved !== undefined ? ` → container port ${resolved}` : '';
      out.push({ role: 'published', loc: p.port.loc, port: p.port.port, literal: p.port.literal, text: `Service ${u.svc.name} port → targetPort ${target}${to} (what callers in the cluster use)`, internal: false, aligns: false });
      if (tp) out.push({ role: 'routed-to', loc: tp.loc, port: resolved, literal: tp.literal, text: `Service ${u.svc.name} targetPort${tp.name ? ` ${tp.name}` : ''}${to}`, internal: true, aligns: tp.port !== undefined });
    }
  }
  return out;
}

/** The workloads that run the service, and the Services that route to them (`port-parity explain`). */
export function explainKubernetes(v: EnvView): { file: string; what: string }[] {
  const out: { file: string; what: string }[] = [];
  for (const w of workloadsOf(v)) {
    const id = w.workload.baseName ?? w.workload.name;
    const by = id === v.service ? '' : ` (joined by a container or image name it shares with ${v.service})`;
    const rendered = w.file !== w.workload.nameLoc.file ? `, rendered as ${w.file}` : '';
    out.push({ file: w.workload.nameLoc.file, what: `${w.workload.kind} ${w.workload.name} in namespace ${w.workload.namespace}${w.main ? `, its own container ${w.main.name}` : ''}${by}${rendered}` });
  }
  for (const u of k8sServicesOf(v)) {
    const sel = u.svc.selector ? Object.entries(u.svc.selector).map(([k, x]) => `${k}=${x}`).join(', ') : '';
    out.push({ file: u.svc.nameLoc.file, what: u.selected.length ? `Service ${u.svc.name} selects its pods (${sel})` : `Service ${u.svc.name}, named like it (it selects no pod of the workspace)` });
  }
  return out;
}
