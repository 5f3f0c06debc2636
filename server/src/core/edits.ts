// Applying text edits to one file's text: byte-identical outside the edited ranges.
import type { TextEdit } from './types';

/** Applies edits (all in one file) from the end backwards; overlapping or repeated edits are dropped. */
export function applyEdits(text: string, edits: TextEdit[]): { text: string; applied: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => b.loc.start - a.loc.start || b.loc.end - a.loc.end);
  const applied: TextEdit[] = [];
  let out = text;
  let floor = Infinity;
  for (const e of sorted) {
    if (e.loc.end > floor) continue;
    if (e.loc.end === floor && e.loc.start === floor) continue;
    out = out.slice(0, e.loc.start) + e.newText + out.slice(e.loc.end);
    floor = e.loc.start;
    applied.push(e);
  }
  return { text: out, applied: applied.reverse() };
}
