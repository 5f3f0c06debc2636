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

/** UTF-8 length of a string, without Node's Buffer (the core runs anywhere). */
const encoder = new TextEncoder();
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * The same edits applied to the file's bytes: `text` is `bytes` decoded as UTF-8 (which the caller has
 * checked is valid, so the two agree), the edits' offsets are in `text`. Every byte outside the edited
 * ranges is copied as it was: a BOM, CRLF line ends, anything.
 */
export function applyEditsToBytes(bytes: Uint8Array, text: string, edits: TextEdit[]): { bytes: Uint8Array; text: string; applied: TextEdit[] } {
  const { text: after, applied } = applyEdits(text, edits);
  const parts: Uint8Array[] = [];
  let at = 0;
  let byteAt = 0;
  for (const e of applied) {
    const start = byteAt + utf8Length(text.slice(at, e.loc.start));
    const end = start + utf8Length(text.slice(e.loc.start, e.loc.end));
    parts.push(bytes.subarray(byteAt, start), encoder.encode(e.newText));
    at = e.loc.end;
    byteAt = end;
  }
  parts.push(bytes.subarray(byteAt));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { bytes: out, text: after, applied };
}
