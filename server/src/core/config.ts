// `.portparity.yaml` read: YAML to data, the schema's verdicts (config-schema.ts) as problems at their nodes, the config from what passed.
import type { ErrorObject } from 'ajv';
import validate from 'virtual:config-validate';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, Scalar } from 'yaml';
import { CONFIG_MESSAGES, configSchema } from './config-schema';
import type { SchemaNode } from './config-schema';
import { normalizeEnv } from './environments';
import { RULES } from './rules';
import { LineIndex } from './text';
import type { Loc, Problem, Severity } from './types';
import { nodeLoc, pairs, parseYaml, scalarText } from './yaml';

export type RuleSetting = Severity | 'off';

export interface ContractEntry {
  ports: number[];
  loc: Loc;
}

export interface Config {
  /** environment → path globs that name it, tried before inference. */
  environments: Record<string, string[]>;
  /** application → path globs of its files, tried before inference from compose projects' folders. */
  applications: Record<string, string[]>;
  /** The reference environment (normalised); production by default. */
  reference: string;
  ignore: string[];
  rules: Record<string, RuleSetting>;
  services: Record<string, ContractEntry>;
  /** Skip files larger than this many bytes. */
  maxFileSize: number;
  /** The config file's path, when one was read. */
  file?: string;
  /** The workspace's own name (its package.json `name`, else its folder's), set by the host: a root Dockerfile nothing else names goes by it. */
  name?: string;
}

export const CONFIG_FILE = '.portparity.yaml';
export { CONFIG_FILES } from './config-files';

export function defaultConfig(): Config {
  return { environments: {}, applications: {}, reference: 'production', ignore: [], rules: {}, services: {}, maxFileSize: 2 * 1024 * 1024 };
}

/** Where a value stands in the config: its path, its node and key node, and its name as the user writes it (`services.api`). */
interface Place {
  segs: string[];
  subject: string;
  key?: Scalar;
  value?: Node;
}

/** The top-level keys and the rule ids, as the messages list them. */
interface Names {
  keys: string[];
  ruleIds: string[];
}
let names: Names | undefined;

/** The names the schema declares, read once (the validator itself is code generated at build time, see config-validate.d.ts). */
function schemaNames(): Names {
  if (!names) {
    const props = configSchema(RULES).properties as Record<string, SchemaNode>;
    names = { keys: Object.keys(props), ruleIds: Object.keys(props.rules.properties as object).sort() };
  }
  return names;
}

/** `obj[k] = v` as an own property even for `__proto__` (an assignment would replace the object's prototype). */
function setOwn<T>(obj: Record<string, T>, k: string, v: T): void {
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
}

const pointer = (segs: string[]): string => segs.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** The YAML as plain data for the validator, each value's place recorded under its JSON pointer (ajv's instancePath). */
function toData(node: Node | null | undefined, at: Place, places: Map<string, Place>): unknown {
  places.set(pointer(at.segs), at);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const p of pairs(node)) {
      const k = String(p.key.value);
      const child = { segs: [...at.segs, k], subject: at.subject ? `${at.subject}.${k}` : k, key: p.key, value: p.value };
      setOwn(out, k, toData(p.value, child, places));
    }
    return out;
  }
  if (isSeq(node)) return (node.items as Node[]).map((it, i) => toData(it, { segs: [...at.segs, String(i)], subject: at.subject, value: it }, places));
  return isScalar(node) ? node.value : null;
}

/** One problem per value that does not fit (ajv may say several things about one), at its node, in the words of CONFIG_MESSAGES. */
function problemsOf(errors: ErrorObject[], places: Map<string, Place>, ix: LineIndex, c: Names): { problems: Problem[]; bad: Set<string> } {
  const problems: Problem[] = [];
  const bad = new Set<string>();
  for (const e of errors) {
    // `if` only says which branch failed; the branch's own error says what is wrong.
    if (e.keyword === 'if') continue;
    const extra = e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined;
    const ptr = extra === undefined ? e.instancePath : `${e.instancePath}${pointer([extra])}`;
    if (bad.has(ptr)) continue;
    bad.add(ptr);
    const place = places.get(ptr) ?? { segs: [], subject: '' };
    const onKey = extra !== undefined || e.keyword === 'minItems';
    const node = onKey ? place.key ?? place.value : place.value ?? place.key;
    problems.push({ message: messageOf(e, place, c, ix.file), loc: node?.range ? nodeLoc(ix, node) : ix.loc(0, 0) });
  }
  problems.sort((a, b) => a.loc.start - b.loc.start);
  return { problems, bad };
}

function messageOf(e: ErrorObject, place: Place, c: Names, file: string): string {
  const { segs, subject, value } = place;
  if (segs.length === 0) return `${file} must be a mapping with keys ${c.keys.join(', ')}`;
  if (e.keyword === 'additionalProperties' && segs.length === 1) return `unknown key "${segs[0]}" (expected ${c.keys.join(', ')})`;
  if (e.keyword === 'additionalProperties' && segs[0] === 'rules') return `unknown rule "${segs[1]}" (known: ${c.ruleIds.join(', ')})`;
  if (e.keyword === 'minItems' && segs[0] === 'services') return `${subject} needs a port or a list of ports`;
  const words = CONFIG_MESSAGES[[segs[0], ...segs.slice(1).map(() => '*')].join('/')];
  const shown = isScalar(value) ? `"${String(value.value)}"` : 'this';
  // Every path the schema allows has its words; anything else still says where and what ajv found.
  return words ? words(subject, shown, isScalar(value) ? value.value : undefined) : `${subject}: ${e.message ?? 'does not fit the schema'}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A glob or list of globs that passed validation; a list keeps the entries that did. */
function globsOf(v: unknown, ptr: string, bad: Set<string>): string[] {
  if (bad.has(ptr)) return [];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((_, i) => !bad.has(`${ptr}/${i}`)) : [];
}

/** The config from validated data: every value with a problem (in `bad`) is left at its default. */
function configOf(d: Record<string, unknown>, bad: Set<string>, places: Map<string, Place>, ix: LineIndex, config: Config): void {
  const ok = (k: string): boolean => k in d && !bad.has(`/${k}`);
  if (ok('environments')) for (const [name, v] of Object.entries(d.environments as object)) setOwn(config.environments, normalizeEnv(name), globsOf(v, pointer(['environments', name]), bad));
  if (ok('applications')) for (const [name, v] of Object.entries(d.applications as object)) setOwn(config.applications, name, globsOf(v, pointer(['applications', name]), bad));
  if (ok('reference')) config.reference = normalizeEnv(d.reference as string);
  if ('ignore' in d) config.ignore = globsOf(d.ignore, '/ignore', bad);
  if (ok('rules')) for (const [id, v] of Object.entries(d.rules as object)) if (!bad.has(pointer(['rules', id]))) config.rules[id] = v as RuleSetting;
  if (ok('services')) {
    for (const [name, v] of Object.entries(d.services as object)) {
      const ptr = pointer(['services', name]);
      if (bad.has(ptr)) continue;
      const ports = (Array.isArray(v) ? v.filter((_, i) => !bad.has(`${ptr}/${i}`)) : [v]) as number[];
      const node = places.get(ptr)?.value;
      const loc = isScalar(node) ? scalarText(ix, node).loc : nodeLoc(ix, node ?? (places.get(ptr)?.key as Scalar));
      if (ports.length) setOwn(config.services, name, { ports, loc });
    }
  }
  if (ok('maxFileSize')) config.maxFileSize = d.maxFileSize as number;
}

/** Reads a config file, validated against the schema of config-schema.ts; every problem names its line through `loc`. */
export function parseConfig(path: string, text: string): { config: Config; problems: Problem[] } {
  const ix = new LineIndex(path, text);
  const config = defaultConfig();
  config.file = path;
  const problems: Problem[] = [];
  const { docs, errors, notes } = parseYaml(text);
  for (const n of notes) problems.push({ message: n.message, loc: ix.loc(n.offset, n.offset) });
  if (errors.length) {
    problems.push({ message: `YAML syntax error: ${errors[0].message}`, loc: ix.loc(errors[0].offset, errors[0].offset) });
    return { config, problems };
  }
  const root = docs[0]?.contents as Node | null | undefined;
  if (root === null || root === undefined) return { config, problems };
  const places = new Map<string, Place>();
  const data = toData(root, { segs: [], subject: '', value: root }, places);
  validate(data);
  const found = problemsOf(validate.errors ?? [], places, ix, schemaNames());
  problems.push(...found.problems);
  if (isObject(data)) configOf(data, found.bad, places, ix, config);
  return { config, problems };
}
