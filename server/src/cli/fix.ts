// `port-parity fix`: apply the fixes until nothing fixable is left (bounded), show one diff per file, and
// write each changed file safely (host/write.ts): byte-exact edits, never a link, never stale text.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { analyze, applyEditsToBytes, maskSecret, RULE_META } from '../core';
import type { Analysis, RuleMeta, TextEdit } from '../core';
import { openForRewrite, realRoot, rewriteFile } from '../host/write';
import { unifiedDiff } from './diff';
import { escapeForTerminal, escapeLines } from './escape';
import type { Workspace } from '../host/workspace';

/** How many analyse-and-apply rounds one run may take before it gives up saying so. */
export const MAX_ROUNDS = 10;

export interface FixOptions {
  /** Only these rules' fixes (all fixable rules when empty). */
  rules: string[];
  dryRun: boolean;
  /** Also the fixes that are not pure alignment (rules with `hasSuggestions`: the editor's other quick fixes). */
  unsafe?: boolean;
  /** For tests: called before each file is written, to change the disk under a running fix. */
  beforeWrite?: (rel: string) => void;
}

/** A file fix edits: the bytes read from disk, and its bytes and text after the edits so far. */
interface Target {
  original: Buffer;
  bytes: Buffer;
  text: string;
}

interface Settled {
  root: string;
  targets: Map<string, Target>;
  /** Files fix will not edit, with the message that says why. */
  refused: Map<string, string>;
  findings: number;
  rounds: number;
  settled: boolean;
  /** The fixes undo each other: a round brought back an earlier state. */
  cycle?: boolean;
}

/** Where a buffer that is not valid UTF-8 first goes wrong: the first byte its decoding does not give back. */
function firstBadByte(bytes: Buffer): string {
  const back = Buffer.from(bytes.toString('utf8'), 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === back[i]) i++;
  let line = 1;
  for (let k = 0; k < i; k++) if (bytes[k] === 10) line++;
  return `byte 0x${(bytes[i] ?? 0).toString(16).toUpperCase().padStart(2, '0')} on line ${line}, offset ${i}`;
}

/** Reads a file fix is about to edit, or says why it will not: not a regular file inside the folder, not writable, not UTF-8, changed. */
function load(root: string, rel: string, text: string | undefined, dryRun: boolean): Target | string {
  if (text === undefined) return `cannot fix ${rel}: it is not one of the files that were read`;
  const o = openForRewrite(root, rel, !dryRun);
  if ('error' in o) return `cannot write ${rel}: ${o.error}`;
  if (!isUtf8(o.bytes)) return `cannot fix ${rel}: it is not valid UTF-8 (${firstBadByte(o.bytes)}); fix only rewrites UTF-8 files, so edit it by hand`;
  if (o.bytes.toString('utf8') !== text) return `cannot write ${rel}: it changed on disk since it was read; left as it is`;
  return { original: o.bytes, bytes: o.bytes, text };
}

/** Whether `fix` applies a rule's fixes: aligning ones always, the editor's other quick fixes with `--unsafe`. */
export function appliesFix(m: Pick<RuleMeta, 'fixable' | 'hasSuggestions'>, unsafe: boolean): boolean {
  return m.fixable || (unsafe && m.hasSuggestions);
}

/**
 * Why `fix --rule <id>` cannot do what it was asked, or undefined: a rule with no fix at all, or one
 * whose fixes are judgements without `--unsafe` (said, exit 2, rather than "Changed 0 files").
 */
export function fixRuleProblem(id: string, unsafe: boolean): string | undefined {
  const m = RULE_META.get(id);
  if (!m) return undefined;
  if (!m.fixable && !m.hasSuggestions) return `${id} has no fix: its findings need a decision only you can make (see ${m.docs})`;
  if (!appliesFix(m, unsafe)) return `${id}'s fixes are not pure alignment (the editor offers them as quick fixes): add --unsafe to apply them`;
  return undefined;
}

/** The rules whose fixes move a service's own ports (their meta says `movesPorts`) first; the others follow them. */
const moves = (rule: string): boolean => !!RULE_META.get(rule)?.movesPorts;
const GROUPS: ((rule: string) => boolean)[] = [moves, (r) => !moves(r)];

interface Plan {
  /** The files a round changes, with their bytes and text after it. */
  next: Map<string, { bytes: Uint8Array; text: string }>;
  /** The findings whose fixes it applies. */
  count: number;
}

/** One round: the edits of the findings whose rule `wanted` accepts, applied to the files that may be edited. */
function planRound(analysis: Analysis, wanted: (rule: string) => boolean, editable: (rel: string) => boolean, targets: Map<string, Target>): Plan {
  const byFile = new Map<string, TextEdit[]>();
  let count = 0;
  for (const f of analysis.findings) {
    if (!f.fix || !wanted(f.rule)) continue;
    const edits = f.fix.edits.filter((e) => editable(e.loc.file));
    if (edits.length) count++;
    for (const e of edits) byFile.set(e.loc.file, [...(byFile.get(e.loc.file) ?? []), e]);
  }
  const next = new Map<string, { bytes: Uint8Array; text: string }>();
  for (const [rel, edits] of byFile) {
    const t = targets.get(rel) as Target;
    const r = applyEditsToBytes(t.bytes, t.text, edits);
    if (r.text !== t.text) next.set(rel, r);
  }
  return { next, count };
}

/** The texts of the files edited so far, as one digest: a state seen twice means the fixes go round in a circle. */
function stateKey(targets: Map<string, Target>): string {
  const h = createHash('sha256');
  for (const [rel, t] of [...targets].sort((a, b) => (a[0] < b[0] ? -1 : 1))) h.update(`${rel}\0${t.text.length}\0`).update(t.text);
  return h.digest('hex');
}

/** Analyses, applies the fixes (the movers' first, see GROUPS), analyses the edited texts again, until a round changes nothing. */
function settle(ws: Workspace, first: Analysis, opts: FixOptions): Settled {
  const fixable = new Set([...RULE_META.values()].filter((m) => appliesFix(m, !!opts.unsafe) && (opts.rules.length === 0 || opts.rules.includes(m.id))).map((m) => m.id));
  const texts = new Map(ws.files.map((f) => [f.path, f.text]));
  const s: Settled = { root: realRoot(ws.root), targets: new Map(), refused: new Map(), findings: 0, rounds: 0, settled: false };
  const editable = (rel: string): boolean => {
    if (s.targets.has(rel)) return true;
    if (s.refused.has(rel)) return false;
    const t = load(s.root, rel, texts.get(rel), opts.dryRun);
    if (typeof t === 'string') s.refused.set(rel, t);
    else s.targets.set(rel, t);
    return typeof t !== 'string';
  };
  let analysis = first;
  const seen = new Set([stateKey(s.targets)]);
  for (let round = 1; ; round++) {
    // The first group with something to change: the ports move first, what follows them next round.
    let plan: Plan | undefined;
    for (const group of GROUPS) {
      plan = planRound(analysis, (rule) => fixable.has(rule) && group(rule), editable, s.targets);
      if (plan.next.size) break;
    }
    if (!plan || plan.next.size === 0) {
      s.settled = true;
      return s;
    }
    // Bounded: fixes that keep undoing each other stop here, said by runFix.
    if (round > MAX_ROUNDS) return s;
    for (const [rel, r] of plan.next) {
      const t = s.targets.get(rel) as Target;
      t.bytes = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
      t.text = r.text;
      texts.set(rel, r.text);
    }
    s.rounds = round;
    s.findings += plan.count;
    const key = stateKey(s.targets);
    if (seen.has(key)) {
      s.cycle = true;
      return s;
    }
    seen.add(key);
    analysis = analyze([...texts].map(([path, text]) => ({ path, text })), ws.config);
  }
}

/**
 * Runs `fix` on one workspace whose first analysis is `first`. Exit code: 0 done, 1 the fixes did not
 * settle within MAX_ROUNDS, 2 some file could not be fixed or written (each one said on `err`).
 */
export function runFix(ws: Workspace, first: Analysis, opts: FixOptions, out: (s: string) => void, err: (s: string) => void): number {
  const s = settle(ws, first, opts);
  const changed = [...s.targets].filter(([, t]) => !t.bytes.equals(t.original)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [rel, t] of changed) out(escapeLines(unifiedDiff(rel, t.original.toString('utf8'), t.text, 3, maskSecret)));
  for (const message of s.refused.values()) err(`port-parity: ${escapeForTerminal(message)}\n`);
  let failed = s.refused.size;
  let written = 0;
  if (!opts.dryRun) {
    for (const [rel, t] of changed) {
      opts.beforeWrite?.(rel);
      const why = rewriteFile(s.root, rel, t.original, t.bytes);
      if (why === undefined) written++;
      else {
        failed++;
        err(`port-parity: cannot write ${escapeForTerminal(rel)}: ${escapeForTerminal(why)}; left as it is\n`);
      }
    }
  }
  const n = opts.dryRun ? changed.length : written;
  const plural = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
  const rounds = s.rounds > 1 ? ` in ${s.rounds} rounds` : '';
  out(`${opts.dryRun ? 'Would change' : 'Changed'} ${plural(n, 'file')} for ${plural(s.findings, 'finding')}${rounds}.${failed ? ` ${plural(failed, 'file')} not fixed (see above).` : ''}\n`);
  if (s.cycle) err(`port-parity: the fixes undo each other (round ${s.rounds} brought back the files of an earlier round), so fix stopped there; run check to see what is left\n`);
  else if (!s.settled) err(`port-parity: the fixes did not settle in ${MAX_ROUNDS} rounds (each round still changed something); run check to see what is left\n`);
  return failed ? 2 : s.settled ? 0 : 1;
}
