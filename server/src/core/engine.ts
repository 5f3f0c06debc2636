// Files in, findings out: extraction, the model, every rule, then severity and suppression applied once.
import type { Config } from './config';
import { defaultConfig } from './config';
import { LIMITS } from './limits';
import { buildModel } from './model';
import { archiveOf } from './paths';
import type { Model, ModelContext } from './model';
import { formatMessage, RULES } from './rules';
import { extractAll } from './store/extract';
import type { RunOptions } from './store/extract';
import type { FileFacts, Finding, RawFinding, SourceFile } from './types';
import { unreadFacts } from './unread';
import type { Unread } from './unread';

export interface Analysis {
  model: Model;
  findings: Finding[];
  /** Findings a comment, an annotation or the config suppressed: counted, not shown. */
  suppressed: Finding[];
  facts: FileFacts[];
}

/**
 * `context`: the whole workspace's, when `facts` are only part of it (see incremental.ts); `only`: the
 * services to judge there (others read along, such as the rest of a shared compose file, are dropped first).
 */
export function analyzeFacts(facts: FileFacts[], config: Config = defaultConfig(), context?: ModelContext, only?: Set<string>): Analysis {
  const model = buildModel(facts, config, context);
  if (only) for (const name of [...model.services.keys()]) if (!only.has(name)) model.services.delete(name);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of RULES) {
    const setting = config.rules[rule.id] ?? rule.defaultSeverity;
    if (setting === 'off') continue;
    let raw: RawFinding[];
    try {
      raw = rule.check(model);
    } catch (e) {
      // A rule that fails on odd input must not take the others down.
      raw = [];
      console.error(`port-parity: rule ${rule.id} failed: ${(e as Error).stack ?? e}`);
    }
    for (const r of raw) {
      const key = `${r.rule}|${r.loc.file}|${r.loc.start}|${r.loc.end}`;
      if (seen.has(key)) continue;
      let message: string;
      try {
        message = formatMessage(rule.meta, r.messageId, r.data);
      } catch (e) {
        // A message the rule does not declare, or data that does not fit it: that finding is left out, said.
        console.error(`port-parity: finding of ${rule.id} at ${r.loc.file}:${r.loc.line + 1} left out: ${(e as Error).message}`);
        continue;
      }
      seen.add(key);
      const f: Finding = { ...r, message: clip(message), severity: setting };
      // A chart archive's files are what helm packed: a fix never writes there.
      if (f.fix?.edits.some((e) => archiveOf(e.loc.file) !== undefined)) delete f.fix;
      (isSuppressed(model, f) ? suppressed : findings).push(f);
    }
  }
  // A finding on a Helm values line also points at the template line that uses the value; on a .env
  // line, at the compose text that interpolates it.
  const vias = facts.flatMap((f) => ((f.kind === 'kubernetes' || f.kind === 'compose') && f.vias ? [f.vias] : []));
  if (vias.length) {
    for (const f of [...findings, ...suppressed]) {
      const v = vias.map((m) => m.get(`${f.loc.file}|${f.loc.start}`)).find((x) => x);
      if (v && !f.related.some((r) => r.loc.file === v.loc.file && r.loc.start === v.loc.start)) f.related = [...f.related, { loc: v.loc, message: `used by ${v.text}` }];
    }
  }
  const order = (a: Finding, b: Finding): number => a.loc.file.localeCompare(b.loc.file) || a.loc.start - b.loc.start || a.rule.localeCompare(b.rule);
  findings.sort(order);
  suppressed.sort(order);
  return { model, findings, suppressed, facts };
}

/** `unread`: what the walk passed over (links, files too large): each file a skipped-source note. */
export function analyze(files: SourceFile[], config: Config = defaultConfig(), options: RunOptions & { unread?: readonly Unread[] } = {}): Analysis {
  return analyzeFacts([...extractAll(files, config, options), ...unreadFacts(options.unread ?? [])], config);
}

/** A message that quotes a huge token (`EXPOSE [[[[…`) keeps its first LIMITS.messageChars characters. */
function clip(message: string): string {
  const max = LIMITS.messageChars;
  if (message.length <= max) return message;
  const end = /[\uD800-\uDBFF]/.test(message[max - 1]) ? max - 1 : max;
  return `${message.slice(0, end)}… (${message.length - end} more characters)`;
}

function isSuppressed(model: Model, f: Finding): boolean {
  const facts = model.facts.get(f.loc.file);
  if (!facts) return false;
  return facts.suppressions.some((s) => f.loc.line >= s.fromLine && f.loc.line <= s.toLine && (s.rules.includes(f.rule) || s.rules.includes('*')));
}
