// Helm values as template data: every scalar remembers where it was written, and values files layer as Helm merges them.
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { LineIndex } from '../../text';
import type { Loc, Problem, SourceFile } from '../../types';
import { parseYaml, scalarText } from '../../yaml';

/**
 * Where rendered text came from. `linear`: character i of the text is character `at + i` of `file`
 * (the text is spelled there exactly). `whole`: the text as a whole stands for `loc` (a value that was
 * converted, or an action's output). `tpl` marks a template file, as opposed to a values file.
 */
export type Mapping = { kind: 'linear'; file: string; at: number; tpl: boolean } | { kind: 'whole'; loc: Loc; tpl: boolean };

/** `[from, to)` of a string and where it came from. Parts are sorted and never overlap; gaps have no source. */
export interface Part {
  from: number;
  to: number;
  map: Mapping;
}

/** A template value: Helm's values are YAML data; scalars keep their source. */
export type Val =
  | { k: 'nil' }
  | { k: 'str'; v: string; parts?: Part[] }
  /** `int`: a Go integer type a function made (`int`, `add`, `len`); else float64, as Helm reads numbers from values. */
  | { k: 'num'; v: number; map?: Mapping; int?: 'int' | 'int64' }
  | { k: 'bool'; v: boolean; map?: Mapping }
  | { k: 'list'; v: Val[] }
  | { k: 'map'; v: Map<string, Val> }
  /** Something the evaluator does not know (`.Capabilities`, `.Files`): using it stops the evaluation. */
  | { k: 'unknown'; why: string; unknowable?: boolean; at?: { file: string; span: { start: number; end: number; text: string } } };

export const NIL: Val = { k: 'nil' };

export function str(v: string, parts?: Part[]): Val {
  return parts && parts.length ? { k: 'str', v, parts } : { k: 'str', v };
}

export function mapOf(entries: Record<string, Val>): Val {
  return { k: 'map', v: new Map(Object.entries(entries)) };
}

/** Reads a values file into a map; YAML errors become problems (what parsed is still used). */
export function readValues(file: SourceFile, problems: Problem[]): Val {
  const ix = new LineIndex(file.path, file.text);
  const { docs, errors, notes } = parseYaml(file.text);
  if (errors.length) problems.push({ message: `${file.path} is not valid YAML (${errors[0].message}): values from it may be missing`, loc: ix.loc(errors[0].offset, errors[0].offset) });
  for (const n of notes) problems.push({ message: n.message, loc: ix.loc(n.offset, n.offset) });
  const doc = docs[0];
  if (!doc) return { k: 'map', v: new Map() };
  const v = toVal(ix, doc, doc.contents as Node | null, 0);
  return v.k === 'map' ? v : { k: 'map', v: new Map() };
}

function toVal(ix: LineIndex, doc: Document.Parsed, node: Node | null | undefined, depth: number): Val {
  if (node === null || node === undefined || depth > 64) return NIL;
  if (isAlias(node)) return toVal(ix, doc, node.resolve(doc) as Node | undefined, depth + 1);
  if (isMap(node)) {
    const out = new Map<string, Val>();
    const merged: Val[] = [];
    for (const it of node.items) {
      if (!isPair(it) || !isScalar(it.key)) continue;
      const key = String(it.key.value);
      const value = toVal(ix, doc, it.value as Node | null, depth + 1);
      // `<<: *defaults` (YAML 1.1 merge keys, which Helm's parser honours): keys written here win.
      if (key === '<<' && !isScalar(it.value)) {
        merged.push(...(value.k === 'list' ? value.v : [value]));
        continue;
      }
      out.set(key, value);
    }
    for (const m of merged) if (m.k === 'map') for (const [k, v] of m.v) if (!out.has(k)) out.set(k, v);
    return { k: 'map', v: out };
  }
  if (isSeq(node)) return { k: 'list', v: node.items.map((x) => toVal(ix, doc, x as Node | null, depth + 1)) };
  if (!isScalar(node)) return NIL;
  const st = scalarText(ix, node);
  const exact = st.at !== undefined && !st.value.includes('\n');
  const map: Mapping = exact ? { kind: 'linear', file: ix.file, at: (st.at as (i: number) => number)(0), tpl: false } : { kind: 'whole', loc: st.loc, tpl: false };
  const value = node.value;
  if (value === null || value === undefined) return NIL;
  if (typeof value === 'number' || typeof value === 'bigint') return { k: 'num', v: Number(value), map };
  if (typeof value === 'boolean') return { k: 'bool', v: value, map };
  const s = String(value);
  if (s === '') return { k: 'str', v: s };
  return { k: 'str', v: s, parts: [{ from: 0, to: s.length, map }] };
}

/**
 * Helm's layering of a values file over the chart's defaults: maps merge key by key, anything else
 * (lists, scalars) replaces, and a `null` deletes the key.
 */
export function mergeValues(base: Val, over: Val): Val {
  if (base.k !== 'map' || over.k !== 'map') return over;
  const out = new Map(base.v);
  for (const [k, v] of over.v) {
    if (v.k === 'nil') out.delete(k);
    else {
      const b = out.get(k);
      out.set(k, b && b.k === 'map' && v.k === 'map' ? mergeValues(b, v) : v);
    }
  }
  return { k: 'map', v: out };
}

/** A dotted path (`sub.enabled`) in a map, or undefined where it leads nowhere. */
export function valueAt(v: Val, path: string): Val | undefined {
  let cur: Val | undefined = v;
  for (const key of path.split('.')) {
    if (!cur || cur.k !== 'map') return undefined;
    cur = cur.v.get(key);
  }
  return cur;
}
