// `.portparity.yaml`: environments, reference, ignore globs, rule severities and the port contract.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { normalizeEnv } from './environments';
import { LineIndex } from './text';
import type { Loc, Problem, Severity } from './types';
import { nodeLoc, pairs, parseYaml, scalarText, validPort } from './yaml';

export type RuleSetting = Severity | 'off';

export interface ContractEntry {
  ports: number[];
  loc: Loc;
}

export interface Config {
  /** environment → path globs that name it, tried before inference. */
  environments: Record<string, string[]>;
  /** The reference environment (normalised); production by default. */
  reference: string;
  ignore: string[];
  rules: Record<string, RuleSetting>;
  services: Record<string, ContractEntry>;
  /** Skip files larger than this many bytes. */
  maxFileSize: number;
  /** The config file's path, when one was read. */
  file?: string;
}

export const CONFIG_FILE = '.portparity.yaml';
export const CONFIG_FILES = ['.portparity.yaml', '.portparity.yml'];

export function defaultConfig(): Config {
  return { environments: {}, reference: 'production', ignore: [], rules: {}, services: {}, maxFileSize: 2 * 1024 * 1024 };
}

const KEYS = ['environments', 'reference', 'ignore', 'rules', 'services', 'maxFileSize'];

/** Reads a config file; every problem names its line through `loc`. Unknown rule ids are checked by the engine. */
export function parseConfig(path: string, text: string, knownRules?: Set<string>): { config: Config; problems: Problem[] } {
  const ix = new LineIndex(path, text);
  const config = defaultConfig();
  config.file = path;
  const problems: Problem[] = [];
  const bad = (node: Node | null | undefined, message: string): void => {
    problems.push({ message, loc: node && node.range ? nodeLoc(ix, node) : ix.loc(0, 0) });
  };
  const { docs, errors, notes } = parseYaml(text);
  for (const n of notes) problems.push({ message: n.message, loc: ix.loc(n.offset, n.offset) });
  if (errors.length) {
    problems.push({ message: `YAML syntax error: ${errors[0].message}`, loc: ix.loc(errors[0].offset, errors[0].offset) });
    return { config, problems };
  }
  const root = docs[0]?.contents as Node | null | undefined;
  if (root === null || root === undefined) return { config, problems };
  if (!isMap(root)) {
    bad(root, `${path} must be a mapping with keys ${KEYS.join(', ')}`);
    return { config, problems };
  }
  const strings = (node: Node | undefined, what: string): string[] => {
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    if (!isSeq(node)) {
      bad(node, `${what} must be a glob or a list of globs`);
      return [];
    }
    const out: string[] = [];
    for (const it of node.items as Node[]) {
      if (isScalar(it) && typeof it.value === 'string') out.push(it.value);
      else bad(it, `${what}: each entry must be a string`);
    }
    return out;
  };
  for (const { key, value } of pairs(root)) {
    const k = String(key.value);
    if (k === 'environments') {
      if (!isMap(value)) bad(value ?? key, 'environments must map an environment name to path globs');
      for (const p of pairs(value)) config.environments[normalizeEnv(String(p.key.value))] = strings(p.value ?? p.key, `environments.${String(p.key.value)}`);
    } else if (k === 'reference') {
      if (isScalar(value) && typeof value.value === 'string' && value.value) config.reference = normalizeEnv(value.value);
      else bad(value ?? key, 'reference must be an environment name');
    } else if (k === 'ignore') {
      config.ignore = strings(value ?? undefined, 'ignore');
    } else if (k === 'rules') {
      if (!isMap(value)) bad(value ?? key, 'rules must map a rule id to error, warning, info or off');
      for (const p of pairs(value)) {
        const id = String(p.key.value);
        const v = isScalar(p.value) ? String(p.value.value) : '';
        if (knownRules && !knownRules.has(id)) bad(p.key, `unknown rule "${id}" (known: ${[...knownRules].sort().join(', ')})`);
        else if (!['error', 'warning', 'info', 'off'].includes(v)) bad(p.value ?? p.key, `rules.${id} must be error, warning, info or off`);
        else config.rules[id] = v as RuleSetting;
      }
    } else if (k === 'services') {
      if (!isMap(value)) bad(value ?? key, 'services must map a service name to its port or list of ports');
      for (const p of pairs(value)) {
        const name = String(p.key.value);
        const nodes: Node[] = isSeq(p.value) ? (p.value.items as Node[]) : p.value ? [p.value] : [];
        const ports: number[] = [];
        for (const n of nodes) {
          const v = isScalar(n) ? Number(n.value) : NaN;
          if (isScalar(n) && validPort(v) && /^\d+$/.test(String(n.value))) ports.push(v);
          else bad(n, `services.${name}: ${isScalar(n) ? `"${String(n.value)}"` : 'this'} is not a port number (1-65535)`);
        }
        if (nodes.length === 0) bad(p.key, `services.${name} needs a port or a list of ports`);
        const valueLoc = p.value && isScalar(p.value) ? scalarText(ix, p.value).loc : nodeLoc(ix, p.value ?? p.key);
        if (ports.length) config.services[name] = { ports, loc: valueLoc };
      }
    } else if (k === 'maxFileSize') {
      const v = isScalar(value) ? Number(value.value) : NaN;
      if (Number.isInteger(v) && v > 0) config.maxFileSize = v;
      else bad(value ?? key, 'maxFileSize must be a positive number of bytes');
    } else {
      bad(key, `unknown key "${k}" (expected ${KEYS.join(', ')})`);
    }
  }
  return { config, problems };
}
