// Fixes that span environments: align a whole service to its reference ports.
import type { Config } from './config';
import { applyEdits } from './edits';
import { analyze } from './engine';
import type { EnvView, Model } from './model-types';
import { apartStacks } from './parts';
import { alignEdits, list, referencePorts } from './query';
import { RULE_META } from './rules';
import { driftOf, movedPorts } from './rules/port-parity';
import { LineIndex } from './text';
import type { Finding, Fix, Loc, SourceFile, TextEdit } from './types';

/** "Align api in all environments to 8080": every environment that moved a port, back to the reference. */
export function alignServiceFix(model: Model, service: string): Fix | undefined {
  const s = model.services.get(service);
  if (!s) return undefined;
  const ref = referencePorts(s);
  if (!ref) return undefined;
  const refDecls = ref.env ? (s.views.get(ref.env) as EnvView).declared : [];
  const edits = [];
  const targets = new Set<number>();
  for (const v of s.views.values()) {
    if ((!s.contract && v.env === ref.env && v.variant === undefined) || v.foreign) continue;
    const refView = ref.env !== undefined ? s.views.get(ref.env) : undefined;
    if (!s.contract && refView && apartStacks(model, v, refView)) continue;
    // Without a contract, the ports port-parity reports as moved (a moved health check has no token to align).
    const moved = s.contract ? movedPorts(v.declared, ref.ports, refDecls) : driftOf(model, s, v).flatMap((d) => (d.kind === 'port' ? [[d.from, d.to] as const] : []));
    for (const [from, to] of moved) {
      targets.add(to);
      edits.push(...alignEdits(model, v, from, to));
    }
  }
  if (edits.length === 0) return undefined;
  return { title: `Align ${service} in all environments to ${list([...targets])} (as in ${ref.label})`, edits };
}

/** Where an offset of the edited text was in the original text (`edits` sorted); undefined inside an edited span. */
function toOriginal(edits: TextEdit[], offset: number): number | undefined {
  let shift = 0;
  for (const e of edits) {
    const start = e.loc.start + shift;
    if (offset <= start) break;
    if (offset < start + e.newText.length) return undefined;
    shift += e.newText.length - (e.loc.end - e.loc.start);
  }
  return offset - shift;
}

/** Two edits of one file that touch the same text (or insert at the same place). */
const overlaps = (a: TextEdit, b: TextEdit): boolean => a.loc.file === b.loc.file && (a.loc.start === b.loc.start || (a.loc.start < b.loc.end && b.loc.start < a.loc.end));

const key = (f: Finding, loc: Loc): string => `${f.rule}|${loc.file}|${loc.start}|${loc.end}|${f.message}`;

/**
 * The fix plus the fixes of the findings its edits create (`ORDERS_URL=http://orders:8080` once orders
 * moves to 9000), found by analysing the edited texts again, at most `rounds` times. All edits are in the
 * original texts' offsets, as one workspace edit needs them; `before` are the findings of those texts.
 */
export function withDependentFixes(files: SourceFile[], config: Config, before: Finding[], fix: Fix, rounds = 4): Fix {
  const original = new Map(files.map((f) => [f.path, f.text]));
  const fixable = new Set([...RULE_META.values()].filter((m) => m.fixable).map((m) => m.id));
  const known = new Set(before.map((f) => key(f, f.loc)));
  const byFile = new Map<string, TextEdit[]>();
  const add = (e: TextEdit): void => {
    const list = byFile.get(e.loc.file) ?? [];
    list.push(e);
    list.sort((a, b) => a.loc.start - b.loc.start || a.loc.end - b.loc.end);
    byFile.set(e.loc.file, list);
  };
  for (const e of fix.edits) add(e);
  const lines = new Map<string, LineIndex>();
  const back = (loc: Loc): Loc | undefined => {
    const edits = byFile.get(loc.file) ?? [];
    const text = original.get(loc.file);
    const start = toOriginal(edits, loc.start);
    const end = toOriginal(edits, loc.end);
    if (text === undefined || start === undefined || end === undefined) return undefined;
    let index = lines.get(loc.file);
    if (!index) lines.set(loc.file, (index = new LineIndex(loc.file, text)));
    return index.loc(start, end);
  };
  const clashes = (e: TextEdit, more: TextEdit[]): boolean => [...(byFile.get(e.loc.file) ?? []), ...more].some((a) => overlaps(a, e));
  let extra = 0;
  for (let round = 0; round < rounds; round++) {
    const texts = files.map((f) => ({ path: f.path, text: applyEdits(f.text, byFile.get(f.path) ?? []).text }));
    // Mapped back through this round's edits only: what is found now is added after the round.
    const found: TextEdit[] = [];
    for (const f of analyze(texts, config).findings) {
      const at = f.fix && fixable.has(f.rule) ? back(f.loc) : undefined;
      if (!f.fix || !at || known.has(key(f, at))) continue;
      known.add(key(f, at));
      const edits = f.fix.edits.map((e) => {
        const loc = back(e.loc);
        return loc && { loc, newText: e.newText };
      });
      if (edits.some((e) => !e || clashes(e, found))) continue;
      found.push(...(edits as TextEdit[]));
    }
    if (found.length === 0) break;
    for (const e of found) add(e);
    extra += found.length;
  }
  if (extra === 0) return fix;
  return { title: `${fix.title}, with ${extra} dependent edit${extra === 1 ? '' : 's'}`, edits: [...byFile.values()].flat() };
}
