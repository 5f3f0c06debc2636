// The explicit list of rules, sorted by id: the core's and those format plug-ins declare; the registry refuses two rules with one id.
import { FORMATS } from '../formats/registry';
import type { Rule, RuleMeta } from './types';
import { rule as commandPortMismatch } from './command-port-mismatch';
import { rule as contract } from './contract';
import { rule as duplicatePort } from './duplicate-port';
import { rule as envPortMismatch } from './env-port-mismatch';
import { rule as invalidPort } from './invalid-port';
import { rule as loopbackBind } from './loopback-bind';
import { rule as portParity } from './port-parity';
import { rule as probePort } from './probe-port';
import { rule as referencePort } from './reference-port';
import { rule as skippedSource } from './skipped-source';
import { rule as unservedPort } from './unserved-port';

function registry(rules: Rule[]): Rule[] {
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.meta.id)) throw new Error(`duplicate rule id ${r.meta.id}`);
    ids.add(r.meta.id);
  }
  return [...rules].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}

/** The core's rules (format-blind, or spanning formats) and the rules each format plug-in declares about its own objects. */
export const RULES: Rule[] = registry([
  commandPortMismatch, contract, duplicatePort, envPortMismatch, invalidPort, loopbackBind, portParity, probePort, referencePort, skippedSource, unservedPort,
  ...FORMATS.flatMap((f) => f.rules ?? []),
]);

/** Every rule's metadata by id: what the server, the CLI and the reports know of a rule. */
export const RULE_META: ReadonlyMap<string, Readonly<RuleMeta>> = new Map(RULES.map((r) => [r.meta.id, r.meta]));
export const RULE_IDS = new Set(RULE_META.keys());
export { DOCS_URL, HOME_URL, formatMessage, mapTemplate, placeholders } from './types';
export type { Rule, RuleMeta };
