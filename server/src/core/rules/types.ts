// What every rule module exports: its metadata first, then the check over the model.
import type { Model } from '../model-types';
import type { K8sFacts, MessageData, Problem, RawFinding, Severity } from '../types';

/** The project's home: its repository (package.json's `repository.url` and `homepage` say the same). */
export const HOME_URL = 'https://github.com/port-parity/port-parity';
/** Where the rules' pages are published: `docs/rules/<id>.md` of the repository. */
export const DOCS_URL = `${HOME_URL}/blob/main/docs/rules/`;

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
  /**
   * Its findings may carry a fix that is not pure alignment, a judgement the user makes (which port a
   * probe checks, which interface a process binds): the editor offers it as a quick fix, `port-parity
   * fix` applies it only with `--unsafe` (ESLint's `meta.hasSuggestions`). Not with `fixable`.
   */
  hasSuggestions: boolean;
  /**
   * What it says, by message id (ESLint's `meta.messages`): templates whose `{{name}}` placeholders a
   * finding's `data` fills. A finding names one by `messageId`; SARIF lists them as `messageStrings`.
   */
  messages: Readonly<Record<string, string>>;
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

/** A rule from its declared metadata (all but the docs url, which follows from the id; `hasSuggestions` false unless said) and its check. */
export function defineRule(def: { meta: Omit<RuleMeta, 'docs' | 'hasSuggestions'> & { hasSuggestions?: boolean }; check(model: Model): RawFinding[] }): Rule {
  const messages = Object.freeze({ ...def.meta.messages });
  const meta: Readonly<RuleMeta> = Object.freeze({ ...def.meta, hasSuggestions: def.meta.hasSuggestions ?? false, messages, docs: `${DOCS_URL}${def.meta.id}.md` });
  return { meta, id: meta.id, description: meta.description, defaultSeverity: meta.defaultSeverity, fixable: meta.fixable, check: def.check };
}

/** `{{name}}` in a message template (ESLint's syntax, spaces inside the braces allowed). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g;

/** The placeholders of a message template, each once, in the order they first appear. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** A template rewritten piece by piece: its literal text through `text`, each placeholder through `value`. */
export function mapTemplate(template: string, text: (literal: string) => string, value: (name: string) => string): string {
  // split() with the one capturing group alternates literal text and placeholder names.
  return template.split(PLACEHOLDER).map((part, i) => (i % 2 === 1 ? value(part) : text(part))).join('');
}

/**
 * The message `messageId` of a rule with `data` put in. An id its meta does not declare, a placeholder
 * the data does not give, or a value no placeholder takes is a mistake in the rule: it throws.
 */
export function formatMessage(meta: Pick<RuleMeta, 'id' | 'messages'>, messageId: string, data: MessageData = {}): string {
  const template = Object.hasOwn(meta.messages, messageId) ? meta.messages[messageId] : undefined;
  if (template === undefined) throw new Error(`rule ${meta.id} has no message "${messageId}" (it declares ${Object.keys(meta.messages).join(', ') || 'none'})`);
  const names = placeholders(template);
  const missing = names.filter((n) => !Object.hasOwn(data, n));
  if (missing.length) throw new Error(`rule ${meta.id}, message "${messageId}": no value for ${missing.map((n) => `{{${n}}}`).join(', ')}`);
  const unused = Object.keys(data).filter((k) => !names.includes(k));
  if (unused.length) throw new Error(`rule ${meta.id}, message "${messageId}" has no placeholder for ${unused.join(', ')}`);
  return mapTemplate(template, (literal) => literal, (name) => String(data[name]));
}

/**
 * One finding of `rule` per entry of a list that Kubernetes facts carry (a render's unknowns, helm's
 * disagreements), in their environment; the reader worded each, and `messageId`'s template is `{{message}}`.
 */
export function fromK8sFacts(model: Model, rule: string, messageId: string, list: (f: K8sFacts) => Problem[] | undefined): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const f of model.facts.values()) {
    if (f.kind !== 'kubernetes') continue;
    for (const p of list(f) ?? []) findings.push({ rule, messageId, data: { message: p.message }, loc: p.loc, environment: f.env, related: [] });
  }
  return findings;
}
