// `port-parity local`: a Compose override that makes the local containers listen on a reference
// environment's internal ports, pure. For each local compose service it moves what the model knows
// moves the port (its port variables, its compose command's listening flag), remaps the container side
// of its port mappings and `expose` (the published host ports stay), moves its self health check and its
// local callers' addresses; what it cannot move it lists with why, and then leaves the service alone.
import { isMap, isPair, isScalar, parseDocument, visit } from 'yaml';
import type { Node, Scalar } from 'yaml';
import { composeOf } from './formats/compose/join';
import { LOCAL_HEADER } from './formats/compose/read';
import type { EnvView, Model } from './model-types';
import { portSet } from './model-types';
import { effectiveCommands, effectiveVars, isSelfHost, partsOf, portParts } from './parts';
import { isOwnPortVar } from './port-names';
import { where } from './query';
import { findReferences } from './references';
import type { ComposePort, Loc } from './types';

/** The header every file `local` writes starts with: it overwrites only a file that starts with it (compose's reader knows it too). */
export { LOCAL_HEADER };

/** What the override sets for one service. */
interface Entry {
  environment: Map<string, string>;
  ports?: string[];
  expose?: string[];
  /** The base has an `expose` list the new one replaces. */
  exposeReplaces?: boolean;
  command?: unknown;
  entrypoint?: unknown;
  healthcheckTest?: unknown;
}

export interface LocalFile {
  /** The compose project's folder (relative to the workspace, '' for the root). */
  dir: string;
  /** The project's files, base first: what the override goes over. */
  composeFiles: string[];
  services: string[];
  /** `!override` is used (Compose 2.24.4 or later reads it). */
  overrideTag: boolean;
  text: string;
}

export interface LocalPlan {
  files: LocalFile[];
  aligned: { service: string; from: number[]; to: number[] }[];
  unaligned: { service: string; why: string }[];
}

/** The override for every local compose service against `ref`'s internal ports. */
export function localOverride(model: Model, texts: ReadonlyMap<string, string>, ref: string, local = 'local'): LocalPlan {
  const plan: LocalPlan = { files: [], aligned: [], unaligned: [] };
  const byDir = new Map<string, { files: string[]; entries: Map<string, Entry> }>();
  const moves: { v: EnvView; from: number; to: number }[] = [];
  for (const s of [...model.services.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const v = s.views.get(local);
    const c = v && composeOf(v);
    if (!v || !c) continue;
    const name = c.service.name;
    const r = s.views.get(ref);
    const from = portSet(v.declared);
    const to = r ? portSet(r.declared) : [];
    if (!r) { plan.unaligned.push({ service: name, why: `${ref} does not run it` }); continue; }
    if (!to.length) { plan.unaligned.push({ service: name, why: `${ref} declares no internal port for it` }); continue; }
    if (same(from, to)) continue;
    if (from.length !== 1 || to.length !== 1) { plan.unaligned.push({ service: name, why: `it listens on ${from.join(', ') || 'no declared port'} locally and ${ref} declares ${to.join(', ')}: which port moves where is not one move` }); continue; }
    const got = entryFor(v, from[0], to[0], texts);
    if ('why' in got) { plan.unaligned.push({ service: name, why: got.why }); continue; }
    const group = byDir.get(c.dir) ?? { files: c.files, entries: new Map() };
    group.entries.set(name, got);
    byDir.set(c.dir, group);
    plan.aligned.push({ service: name, from, to });
    moves.push({ v, from: from[0], to: to[0] });
  }
  moveCallers(model, local, moves, byDir, plan);
  for (const [dir, g] of [...byDir].sort((a, b) => a[0].localeCompare(b[0]))) {
    const overrideTag = [...g.entries.values()].some((e) => e.ports || e.exposeReplaces);
    plan.files.push({ dir, composeFiles: g.files, services: [...g.entries.keys()], overrideTag, text: render(ref, g.entries, g.files, dir, overrideTag) });
  }
  return plan;
}

function same(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** One service's override: every token that says where it listens moved from `from` to `to`, or why not. */
function entryFor(v: EnvView, from: number, to: number, texts: ReadonlyMap<string, string>): Entry | { why: string } {
  const c = composeOf(v);
  if (!c) return { why: 'it is not a compose service locally' };
  const e: Entry = { environment: new Map() };
  const handled = new Set<string>();
  const done = (loc: Loc): void => { handled.add(`${loc.file}|${loc.start}`); };
  const svc = c.service;
  if (svc.ports.some((p) => p.container.port !== undefined && p.count > 1 && from >= p.container.port && from < p.container.port + p.count)) return { why: `its port ${from} is part of a range mapping (${where(svc.ports[0].loc)}): remap it by hand` };
  if (svc.ports.some((p) => p.container.port === from)) {
    e.ports = svc.ports.map((p) => shortPort(p, p.container.port === from ? to : undefined));
    for (const p of svc.ports) if (p.container.port === from) done(p.container.loc);
  }
  if (svc.expose.some((x) => x.port === from)) {
    e.expose = svc.expose.map((x) => (x.port === from ? `${to}` : x.raw) + (x.protocol !== 'TCP' ? `/${x.protocol.toLowerCase()}` : ''));
    e.exposeReplaces = true;
    for (const x of svc.expose) if (x.port === from) done(x.loc);
  }
  // The image's EXPOSE alone declares the port: declare the new one where compose does.
  if (!e.ports && !e.expose && !svc.ports.length && !svc.expose.length) e.expose = [`${to}`];
  for (const [name, x] of effectiveVars(v)) {
    if (x.port !== from || !isOwnPortVar(name, v.service)) continue;
    e.environment.set(name, String(to));
    for (const layer of partsOf(v).vars) for (const y of layer.vars) if (y.name === name) done(y.valueLoc);
  }
  for (const [key, cmd] of [['entrypoint', svc.entrypoint], ['command', svc.command]] as const) {
    const flags = cmd?.ports.filter((p) => p.port === from && p.primary) ?? [];
    if (!flags.length || !effectiveCommands(v).includes(cmd as never)) continue;
    const moved = spliceAll(texts, flags.map((p) => p.loc), from, to, key);
    if (moved === undefined) return { why: `its compose ${key} sets ${from} (${where(flags[0].loc)}) in a way the override cannot rewrite` };
    e[key] = moved;
    for (const p of flags) done(p.loc);
  }
  const checks = svc.healthchecks.filter((h) => h.port.port === from && isSelfHost(h.host, v));
  if (checks.length) {
    const moved = spliceAll(texts, checks.map((h) => h.port.loc), from, to, 'test');
    if (moved === undefined) return { why: `its healthcheck probes ${from} (${where(checks[0].port.loc)}) in a way the override cannot rewrite` };
    e.healthcheckTest = moved;
    for (const h of checks) done(h.port.loc);
  }
  // What still says `from` and would keep the process (or its health check) there: not aligned.
  const left = portParts(v).filter((p) => p.aligns && p.port === from && p.role !== 'published' && p.role !== 'exposed' && !handled.has(`${p.loc.file}|${p.loc.start}`) && !(v.declared.some((d) => d.loc.file === p.loc.file && d.loc.start === p.loc.start) && (e.ports || e.expose)));
  if (left.length) return { why: `${left[0].text} ${from} (${where(left[0].loc)}) is not something a compose override can change: move it in its file, or set the port by a variable` };
  return e;
}

/** A compose short-syntax mapping, its container side moved to `to` where given; the host side kept as written. */
function shortPort(p: ComposePort, to?: number): string {
  const container = to !== undefined ? String(to) : p.container.raw;
  const ip = p.hostIp ? (p.hostIp.includes(':') && !p.hostIp.startsWith('[') ? `[${p.hostIp}]` : p.hostIp) : '';
  const host = p.host?.raw ?? '';
  const proto = p.protocol !== 'TCP' ? `/${p.protocol.toLowerCase()}` : '';
  if (!ip && !host) return `${container}${proto}`;
  return `${ip ? `${ip}:` : ''}${host}:${container}${proto}`;
}

/**
 * The value of the `key` (command, entrypoint, healthcheck test) that holds each token, with the tokens
 * moved to `to`: read from the token's file, the value as Compose reads it (a string or a list).
 */
function spliceAll(texts: ReadonlyMap<string, string>, locs: Loc[], from: number, to: number, key: string): unknown {
  const edits = new Map<Scalar, number[]>();
  let holder: Node | undefined;
  for (const loc of locs) {
    const text = texts.get(loc.file);
    if (text === undefined) return undefined;
    const doc = parseDocument(text);
    let found: { scalar: Scalar; holder: Node } | undefined;
    visit(doc, {
      Scalar(_k, node, path) {
        const [a, b] = node.range ?? [0, 0];
        if (loc.start < a || loc.end > b) return undefined;
        const pair = [...path].reverse().find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
        if (pair && isPair(pair) && pair.value) found = { scalar: node, holder: pair.value as Node };
        return visit.BREAK;
      },
    });
    if (!found) return undefined;
    holder ??= found.holder;
    // Every token of one move stands in one value (a command and a healthcheck are moved apart).
    if (holder !== found.holder) return undefined;
    const quoted = found.scalar.type === 'QUOTE_DOUBLE' || found.scalar.type === 'QUOTE_SINGLE' ? 1 : 0;
    const at = loc.start - (found.scalar.range?.[0] ?? 0) - quoted;
    if (String(found.scalar.value).slice(at, at + String(from).length) !== String(from)) return undefined;
    edits.set(found.scalar, [...(edits.get(found.scalar) ?? []), at]);
  }
  if (!holder) return undefined;
  const json = (n: unknown): unknown => {
    if (isScalar(n)) {
      const offsets = edits.get(n);
      let s = String(n.value);
      for (const at of [...(offsets ?? [])].sort((a, b) => b - a)) s = s.slice(0, at) + String(to) + s.slice(at + String(from).length);
      return s;
    }
    if (n && typeof n === 'object' && 'items' in n && !isMap(n)) return (n as { items: unknown[] }).items.map(json);
    return undefined;
  };
  const out = json(holder);
  return out === undefined || (Array.isArray(out) && out.some((x) => x === undefined)) ? undefined : out;
}

/** Local callers that reach a moved service on its old port: their address variable moves with it. */
function moveCallers(model: Model, local: string, moves: { v: EnvView; from: number; to: number }[], byDir: Map<string, { files: string[]; entries: Map<string, Entry> }>, plan: LocalPlan): void {
  if (!moves.length) return;
  for (const r of findReferences(model)) {
    const m = moves.find((x) => x.v.service === r.target && r.env === local && r.port === x.from);
    if (!m || !r.explicitPort) continue;
    const caller = model.services.get(r.from)?.views.get(local);
    const c = caller && composeOf(caller);
    const e = caller && effectiveVars(caller).get(r.variable);
    if (!caller || !c || !e || !r.exact) {
      plan.unaligned.push({ service: r.from, why: `its ${r.variable} still calls ${r.target} on ${m.from} (${where(r.loc)}): change it to ${m.to}` });
      continue;
    }
    const at = r.loc.start - e.valueLoc.start;
    const group = byDir.get(c.dir) ?? { files: c.files, entries: new Map() };
    const entry = group.entries.get(c.service.name) ?? { environment: new Map() };
    const current = entry.environment.get(r.variable) ?? e.value;
    entry.environment.set(r.variable, current.slice(0, at) + String(m.to) + current.slice(at + String(m.from).length));
    group.entries.set(c.service.name, entry);
    byDir.set(c.dir, group);
  }
}

/** The override's YAML: JSON scalars and flow lists (valid YAML), each service's keys in Compose's order. */
function render(ref: string, entries: Map<string, Entry>, files: string[], dir: string, overrideTag: boolean): string {
  const q = (s: string): string => JSON.stringify(s);
  const rel = (f: string): string => (dir && f.startsWith(`${dir}/`) ? f.slice(dir.length + 1) : f);
  const lines = [
    `${LOCAL_HEADER} Local containers listen on ${ref}'s internal ports; published host ports stay.`,
    `# Regenerate: port-parity local --env ${ref}. It overwrites only a file that starts with the line above.`,
    `# Use: docker compose ${files.map((f) => `-f ${rel(f)}`).join(' ')} -f <this file> up${overrideTag ? '   (ports: !override needs Docker Compose 2.24.4 or later)' : ''}`,
    'services:',
  ];
  for (const [name, e] of [...entries].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`  ${q(name)}:`);
    if (e.entrypoint !== undefined) lines.push(`    entrypoint: ${JSON.stringify(e.entrypoint)}`);
    if (e.command !== undefined) lines.push(`    command: ${JSON.stringify(e.command)}`);
    if (e.environment.size) {
      lines.push('    environment:');
      for (const [k, v] of [...e.environment].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`      ${q(k)}: ${q(v)}`);
    }
    if (e.expose) lines.push(`    expose: ${e.exposeReplaces ? '!override ' : ''}[${e.expose.map(q).join(', ')}]`);
    if (e.ports) lines.push(`    ports: !override [${e.ports.map(q).join(', ')}]`);
    if (e.healthcheckTest !== undefined) lines.push('    healthcheck:', `      test: ${JSON.stringify(e.healthcheckTest)}`);
  }
  return `${lines.join('\n')}\n`;
}
