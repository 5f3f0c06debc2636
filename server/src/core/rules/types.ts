// What every rule module exports: its metadata first, then the check over the model.
import type { Model } from '../model';
import type { K8sFacts, Problem, RawFinding, Severity } from '../types';

/** Where the rules' pages are published: `docs/rules/<id>.md` of the repository. */
export const DOCS_URL = 'https://github.com/port-parity/port-parity/blob/main/docs/rules/';

export interface Rule {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** The fix aligns ports, so `port-parity fix` may apply it. */
  fixable: boolean;
  check(model: Model): RawFinding[];
}

/** One finding of `rule` per entry of a list that Kubernetes facts carry (a render's unknowns, helm's disagreements), in their environment. */
export function fromK8sFacts(model: Model, rule: string, list: (f: K8sFacts) => Problem[] | undefined): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const f of model.facts.values()) {
    if (f.kind !== 'kubernetes') continue;
    for (const p of list(f) ?? []) findings.push({ rule, message: p.message, loc: p.loc, environment: f.env, related: [] });
  }
  return findings;
}
