// The explicit list of rules, sorted by id; the registry refuses two rules with one id.
import type { Rule, RuleMeta } from './types';
import { rule as commandPortMismatch } from './command-port-mismatch';
import { rule as contract } from './contract';
import { rule as duplicatePort } from './duplicate-port';
import { rule as envPortMismatch } from './env-port-mismatch';
import { rule as exposeMismatch } from './expose-mismatch';
import { rule as exposeUnsetVariable } from './expose-unset-variable';
import { rule as helmTemplateMismatch } from './helm-template-mismatch';
import { rule as ingressBackendPort } from './ingress-backend-port';
import { rule as invalidPort } from './invalid-port';
import { rule as loopbackBind } from './loopback-bind';
import { rule as networkpolicyPort } from './networkpolicy-port';
import { rule as portParity } from './port-parity';
import { rule as probePort } from './probe-port';
import { rule as referencePort } from './reference-port';
import { rule as serviceTargetPort } from './service-target-port';
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

export const RULES: Rule[] = registry([
  commandPortMismatch, contract, duplicatePort, envPortMismatch, exposeMismatch, exposeUnsetVariable, helmTemplateMismatch, ingressBackendPort, invalidPort, loopbackBind, networkpolicyPort, portParity,
  probePort, referencePort, serviceTargetPort, skippedSource, unservedPort,
]);

/** Every rule's metadata by id: what the server, the CLI and the reports know of a rule. */
export const RULE_META: ReadonlyMap<string, Readonly<RuleMeta>> = new Map(RULES.map((r) => [r.meta.id, r.meta]));
export const RULE_IDS = new Set(RULE_META.keys());
export { DOCS_URL, formatMessage, mapTemplate, placeholders } from './types';
export type { Rule, RuleMeta };
