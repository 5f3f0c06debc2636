// What every rule module exports: its metadata first, then the check over the model.
import type { Model } from '../model';
import type { K8sFacts, Problem, RawFinding, Severity } from '../types';

/** Where the rules' pages are published: `docs/rules/<id>.md` of the repository. */
export const DOCS_URL = 'https://github.com/port-parity/port-parity/blob/main/docs/rules/';

/** What a rule says about itself, first in its module (as ESLint rules declare `meta`); the CLI, the server and the reports read it. */
export interface RuleMeta {
  /** The one id: file name, doc page, fixture folder, config key and `Diagnostic.code`. */
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** Its fixes align ports, so `port-parity fix` (and the editor's align, for what follows a move) may apply them. */
  fixable: boolean;
  /** Its fixes move a service's own ports (to the reference or the contract): `fix` applies them before the fixes that follow a move. */
  movesPorts: boolean;
  /** A finding of it on a service offers the editor's "align the service in all environments". */
  alignable: boolean;
  /** Its page, docs/rules/<id>.md (from the id). */
  docs: string;
}

/** A rule module's export: its metadata, then the check over the model. */
export interface Rule {
  readonly meta: Readonly<RuleMeta>;
  /** `meta.id`, `meta.description`, `meta.defaultSeverity` and `meta.fixable` again, for the engine's loop and older readers. */
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: Severity;
  readonly fixable: boolean;
  check(model: Model): RawFinding[];
}

/** A rule from its declared metadata (all but the docs url, which follows from the id) and its check. */
export function defineRule(def: { meta: Omit<RuleMeta, 'docs'>; check(model: Model): RawFinding[] }): Rule {
  const meta: Readonly<RuleMeta> = Object.freeze({ ...def.meta, docs: `${DOCS_URL}${def.meta.id}.md` });
  return { meta, id: meta.id, description: meta.description, defaultSeverity: meta.defaultSeverity, fixable: meta.fixable, check: def.check };
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
