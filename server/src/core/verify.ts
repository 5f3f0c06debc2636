// `port-parity verify`'s judgement, pure: what the model says a service's process must listen on in one
// environment (its variables, its internal ports, the routes, probes and references to them), and what
// an observation of the running process (host/listen.ts) means against it. The checks are data, as rules.
import type { EnvView, Model, ServiceModel } from './model-types';
import { portSet, servicesNamed } from './model-types';
import { effectiveCommands, effectiveVars, listening, partsOf, portParts } from './parts';
import { findReferences } from './references';
import { formatMessage, DOCS_URL } from './rules/types';
import type { RuleMeta } from './rules/types';
import { list, where } from './query';
import type { Finding, Loc, Related } from './types';

/** One listening socket, as the host read it. */
export interface Evidence {
  pid: number;
  address: string;
  port: number;
}

/** What was seen: the sockets, and how the run ended. */
export interface Observation {
  /** `listening`: it listened (and was stopped); `timeout`: nothing within the time; `exited`: it ended first; `inspected`: a running process (--pid, --compose). */
  outcome: 'listening' | 'timeout' | 'exited' | 'inspected' | 'in-use';
  sockets: Evidence[];
  /** The root process (the command's, or --pid's). */
  pid?: number;
  /** How it exited (`exited`): `exit code 1`, `signal SIGTERM`. */
  status?: string;
  /** Its last lines of output (`exited`, `timeout`). */
  lastLines?: string[];
  /** The timeout, in words (`20s`). */
  timeout?: string;
  /** `in-use`: the declared ports something else listens on already. */
  holders?: Evidence[];
}

/** The checks verify reports, declared as rules are: id, severity, words. */
export const VERIFY_CHECKS: readonly Readonly<RuleMeta>[] = [
  check('verify-port', 'error', 'The running process listens on the internal port the environment declares', {
    wrongPort: '{{service}} listens on {{actual}} but {{env}} declares {{expected}} ({{where}})',
    missingPort: '{{service}} does not listen on {{expected}}, which {{env}} declares ({{where}}); it listens on {{actual}}',
  }),
  check('verify-extra-port', 'warning', 'The running process listens on a port the environment does not declare', {
    extraPort: '{{service}} also listens on {{port}} ({{address}}, pid {{pid}}), which {{env}} does not declare',
  }),
  check('verify-loopback', 'error', 'The running process binds its port to loopback where it must be reachable from outside its container', {
    loopback: '{{service}} listens on {{address}} port {{port}} (pid {{pid}}): loopback only, so nothing outside its container reaches it in {{env}}; bind 0.0.0.0 or ::',
  }),
  check('verify-not-listening', 'error', 'The process listens on nothing before the timeout, or exits before it listens', {
    timeout: '{{service}} listened on nothing within {{timeout}}; {{env}} declares {{expected}}. Last output: {{output}}',
    exited: '{{service}}\'s command ended ({{status}}) before it listened; {{env}} declares {{expected}}. Last output: {{output}}',
    inspected: '{{service}} ({{what}}) listens on nothing; {{env}} declares {{expected}}',
  }),
  check('verify-port-in-use', 'error', 'The port the environment declares is taken before the process starts', {
    inUse: '{{port}}, which {{env}} declares for {{service}}, is already in use ({{holder}}): the command was not started',
    exitedInUse: '{{service}}\'s command ended ({{status}}) because its port is in use; {{env}} declares {{expected}}. Last output: {{output}}',
  }),
];

function check(id: string, defaultSeverity: RuleMeta['defaultSeverity'], description: string, messages: Record<string, string>): Readonly<RuleMeta> {
  return Object.freeze({ id, description, defaultSeverity, fixable: false, hasSuggestions: false, movesPorts: false, alignable: false, messages, docs: `${DOCS_URL.replace(/rules\/$/, '')}verify.md` });
}

/** What a service must do in an environment, as the model says. */
export interface VerifyTarget {
  service: ServiceModel;
  view: EnvView;
  /** The internal ports the environment declares (else where its files say it listens). */
  expected: number[];
  /** The variables the process gets (the strongest of each name). */
  env: Record<string, string>;
  /** Where the finding stands: the first declaration, else where the service is named. */
  loc: Loc;
  /** The process shares its loopback (host network, a pod's neighbours): a loopback bind is no error. */
  sharedLoopback: boolean;
}

/** The service and environment a user names, or why not. */
export function verifyTarget(model: Model, name: string, env?: string): VerifyTarget | { error: string } {
  const named = servicesNamed(model, name);
  if (named.length === 0) return { error: `no service named ${name} (port-parity matrix lists them)` };
  if (named.length > 1) return { error: `${name} names ${named.map((s) => s.name).join(', ')}: give one` };
  const service = named[0];
  const envs = [...service.views.values()].filter((v) => v.variant === undefined).map((v) => v.env);
  const chosen = env ?? service.reference ?? (envs.length === 1 ? envs[0] : undefined);
  if (chosen === undefined) return { error: `${service.name} runs in ${envs.join(', ')}: say which with --env` };
  const view = service.views.get(chosen);
  if (!view) return { error: `${service.name} is not in ${chosen} (it is in ${envs.join(', ') || 'no environment'})` };
  // verify reads TCP sockets: a UDP or SCTP port is not one it can confirm.
  let expected = portSet(view.declared.filter((d) => d.protocol === 'TCP'));
  if (!expected.length) expected = [...new Set(listening(view, { tcpOnly: true }).map((l) => l.port))];
  const vars: Record<string, string> = {};
  for (const [k, e] of effectiveVars(view)) vars[k] = e.value;
  const loc = view.declared[0]?.loc ?? partsOf(view).anchors?.[0] ?? portParts(view)[0]?.loc ?? anyLoc(view);
  if (!loc) return { error: `${service.name} in ${chosen}: its files give no place to report at` };
  return { service, view, expected, env: vars, loc, sharedLoopback: !!partsOf(view).sharedLoopback };
}

function anyLoc(v: EnvView): Loc | undefined {
  const e = [...effectiveVars(v).values()][0];
  return e?.nameLoc;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Whether an address is loopback only (127.0.0.0/8, ::1, an IPv4-mapped 127.x). */
export function isLoopback(address: string): boolean {
  return LOOPBACK.test(address) || address === 'localhost';
}

/** A verify finding, with the evidence behind it. */
export interface VerifyFinding extends Finding {
  evidence: Evidence[];
}

/** The findings of one observation against the model. */
export function judge(model: Model, t: VerifyTarget, o: Observation): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const name = t.service.name;
  const env = t.view.env;
  const expected = t.expected.length ? list(t.expected) : 'no port';
  const add = (id: string, messageId: string, data: Record<string, string | number>, evidence: Evidence[], loc: Loc = t.loc, related: Related[] = []): void => {
    const meta = VERIFY_CHECKS.find((c) => c.id === id) as Readonly<RuleMeta>;
    out.push({ rule: id, messageId, data, message: formatMessage(meta, messageId, data), severity: meta.defaultSeverity, loc, service: name, environment: env, related, evidence });
  };
  const output = (o.lastLines?.length ? o.lastLines.join(' | ') : '(none)');
  if (o.outcome === 'in-use') {
    for (const h of o.holders ?? []) add('verify-port-in-use', 'inUse', { port: h.port, env, service: name, holder: h.pid ? `pid ${h.pid} listens on ${h.address}` : `something listens on ${h.address}` }, [h]);
    return out;
  }
  const tcp = o.sockets;
  if (tcp.length === 0) {
    if (o.outcome === 'exited' && o.lastLines?.some((l) => /EADDRINUSE|address already in use/i.test(l))) add('verify-port-in-use', 'exitedInUse', { service: name, status: o.status ?? 'exited', env, expected, output }, []);
    else if (o.outcome === 'exited') add('verify-not-listening', 'exited', { service: name, status: o.status ?? 'exited', env, expected, output }, []);
    else if (o.outcome === 'inspected') add('verify-not-listening', 'inspected', { service: name, what: o.pid ? `pid ${o.pid}` : 'its container', env, expected }, []);
    else add('verify-not-listening', 'timeout', { service: name, timeout: o.timeout ?? 'the timeout', env, expected, output }, []);
    return out;
  }
  const ports = [...new Set(tcp.map((s) => s.port))];
  const actual = list(ports);
  const missing = t.expected.filter((p) => !ports.includes(p));
  for (const p of missing) {
    const decl = t.view.declared.find((d) => d.port === p);
    const data = { service: name, expected: p, env, where: decl ? where(decl.loc) : 'its files', actual };
    if (missing.length === t.expected.length && t.expected.length === 1) add('verify-port', 'wrongPort', data, tcp, decl?.loc, relatedTo(model, t, p));
    else add('verify-port', 'missingPort', data, tcp, decl?.loc, relatedTo(model, t, p));
  }
  for (const p of ports.filter((x) => !t.expected.includes(x))) {
    // Wrong instead of the declared port: the verify-port finding names it already.
    if (missing.length && t.expected.length === 1) continue;
    const s = tcp.find((x) => x.port === p) as Evidence;
    add('verify-extra-port', 'extraPort', { service: name, port: p, address: s.address, pid: s.pid, env }, tcp.filter((x) => x.port === p));
  }
  if (!t.sharedLoopback) {
    for (const p of ports) {
      const on = tcp.filter((s) => s.port === p);
      // Loopback only: every socket on the port is loopback (a second one on 0.0.0.0 or :: reaches it).
      if (!on.every((s) => isLoopback(s.address))) continue;
      const binds: Related[] = effectiveCommands(t.view).flatMap((c) => c.binds).map((b) => ({ loc: b.loc, message: `the files bind ${b.host} (${b.via})` }));
      add('verify-loopback', 'loopback', { service: name, address: on[0].address, port: p, pid: on[0].pid, env }, on, t.view.declared.find((d) => d.port === p)?.loc ?? t.loc, binds);
    }
  }
  return out;
}

/** The routes, probes and references that reach the port: where a wrong port would break them. */
function relatedTo(model: Model, t: VerifyTarget, port: number): Related[] {
  const own = new Set(t.view.declared.filter((d) => d.port === port).map((d) => `${d.loc.file}|${d.loc.start}`));
  const out: Related[] = [];
  for (const p of portParts(t.view)) {
    if (p.port !== port || own.has(`${p.loc.file}|${p.loc.start}`) || p.role === 'published') continue;
    own.add(`${p.loc.file}|${p.loc.start}`);
    out.push({ loc: p.loc, message: `${p.text} ${port}` });
  }
  for (const r of findReferences(model)) if (r.target === t.service.name && r.env === t.view.env && r.port === port) out.push({ loc: r.loc, message: `${r.from} calls it on ${port} (${r.variable})` });
  return out.slice(0, 30);
}
