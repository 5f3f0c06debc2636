// The values templates compute with, as Go's fmt and text/template see them: printing, truth, numbers, comparison, and the text parts that remember their source.
import type { Mapping, Part, Val } from './helm-values';
import { NIL, str } from './helm-values';

/** Evaluation stops here: the expression needs what is not known; `at` is the action that needed it (set where it is first caught). */
export class Cannot extends Error {
  /** The action that needed what is missing. */
  at?: { file: string; span: { start: number; end: number; text: string } };
  /**
   * What is missing cannot be known before install or is not here to read (lookup, an unknown function,
   * a file, `fail`): said wherever it is, not only where a port goes.
   */
  unknowable?: boolean;
}

/** A Cannot for what cannot be known before install or is not here to read. */
export function unknowable(why: string): Cannot {
  const c = new Cannot(why);
  c.unknowable = true;
  return c;
}

/** The Cannot an unknown value stands for, or a copy of one (with where and why). */
export function cannotOf(v: { why: string; unknowable?: boolean; at?: Cannot['at'] } | Cannot): Cannot {
  const c = new Cannot(v instanceof Cannot ? v.message : v.why);
  c.unknowable = v.unknowable;
  c.at = v.at;
  return c;
}

/** Text with the source of its parts. */
export interface Rich {
  text: string;
  parts: Part[];
}

/** A render, or a string a function makes, larger than this is runaway (a range in a range over big values): it stops. */
export const MAX_OUTPUT = 4_000_000;

/** The render stops: it needs more than a real chart does (an include chain that doubles, a template that includes itself). */
export class Runaway extends Error {}

/** What a render may spend (the renderer's EvalBudget). */
export interface Meter {
  spend(n: number): void;
}

/** The budget of the render under way, for the value functions (printing, toYaml, toJson) that have no renderer at hand. */
let meter: Meter | undefined;

/** Sets the meter of the render under way; returns the one it replaces. */
export function setMeter(m: Meter | undefined): Meter | undefined {
  const was = meter;
  meter = m;
  return was;
}

export function charge(n: number): void {
  meter?.spend(n);
}

/** A string a function makes that is too big stops the render. */
export function bounded(len: number, what: string): void {
  if (len > MAX_OUTPUT) throw new Runaway(`${what} makes a string of more than ${MAX_OUTPUT.toLocaleString('en-US')} characters`);
}

export function kindName(v: Val): string {
  return { nil: 'nil', str: 'a string', num: 'a number', bool: 'a boolean', list: 'a list', map: 'a map', unknown: 'unknown' }[v.k];
}

/** Appends text; parts are shifted, and what they leave uncovered maps to `fill` when given. */
export function append(out: Rich, s: string, parts: Part[], fill?: Mapping): void {
  const base = out.text.length;
  let pos = 0;
  for (const p of [...parts].sort((a, b) => a.from - b.from)) {
    if (p.to <= pos || p.from >= s.length) continue;
    const from = Math.max(p.from, pos);
    if (fill && from > pos) out.parts.push({ from: base + pos, to: base + from, map: fill });
    out.parts.push({ from: base + from, to: base + Math.min(p.to, s.length), map: shiftMap(p.map, from - p.from) });
    pos = Math.min(p.to, s.length);
  }
  if (fill && pos < s.length) out.parts.push({ from: base + pos, to: base + s.length, map: fill });
  out.text += s;
}

export function shiftMap(m: Mapping, by: number): Mapping {
  return m.kind === 'linear' && by ? { ...m, at: m.at + by } : m;
}

/** Parts of `s` moved by `by` characters (clipped to `[0, len)`). */
export function shifted(parts: Part[] | undefined, by: number, len: number): Part[] {
  const out: Part[] = [];
  for (const p of parts ?? []) {
    const from = Math.max(0, p.from + by);
    const to = Math.min(len, p.to + by);
    if (to > from) out.push({ from, to, map: shiftMap(p.map, from - (p.from + by)) });
  }
  return out;
}

export function numText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(n).replace(/e\+?/, 'e+');
}

/** What Go's fmt prints for a value (Helm prints a missing value as nothing). */
export function printVal(v: Val): Rich {
  switch (v.k) {
    case 'nil':
      return { text: '', parts: [] };
    case 'str':
      return { text: v.v, parts: v.parts ?? [] };
    case 'num': {
      const t = numText(v.v);
      return { text: t, parts: v.map ? [{ from: 0, to: t.length, map: v.map }] : [] };
    }
    case 'bool': {
      const t = String(v.v);
      return { text: t, parts: v.map ? [{ from: 0, to: t.length, map: v.map }] : [] };
    }
    case 'list':
    case 'map':
      return { text: printComposite(v, { n: 0 }), parts: [] };
    case 'unknown':
      throw cannotOf(v);
  }
}

/** A list or map as Go prints it; `size` counts what is printed, so that a value nested on itself (`list $l $l`) stops early. */
export function printComposite(v: Val, size: { n: number }): string {
  charge(1);
  const grow = (t: string): string => {
    size.n += t.length + 2;
    bounded(size.n, 'printing a value');
    return t;
  };
  const item = (x: Val): string => (x.k === 'list' || x.k === 'map' ? printComposite(x, size) : grow(printVal(x).text));
  if (v.k === 'list') return `[${v.v.map(item).join(' ')}]`;
  if (v.k === 'map') return `map[${[...v.v.keys()].sort().map((k) => `${grow(k)}:${item(v.v.get(k) as Val)}`).join(' ')}]`;
  return printVal(v).text;
}

export function text(v: Val): string {
  return printVal(v).text;
}

/** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
export function truth(v: Val): boolean {
  switch (v.k) {
    case 'nil':
      return false;
    case 'bool':
      return v.v;
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v !== '';
    case 'list':
      return v.v.length > 0;
    case 'map':
      return v.v.size > 0;
    case 'unknown':
      throw cannotOf(v);
  }
}

export function num(v: Val): number {
  if (v.k === 'num') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  if (v.k === 'nil') return 0;
  if (v.k === 'str') {
    const s = v.v.trim();
    if (/^[+-]?\d+$/.test(s)) return Number(s);
    if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s)) return Number(s.replace(/^\+/, ''));
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
    return 0;
  }
  throw new Cannot(`cannot convert ${kindName(v)} to a number`);
}

/** The one mapping that covers all of a string, if there is one. */
export function wholeMap(v: Val): Mapping | undefined {
  if (v.k === 'num' || v.k === 'bool') return v.map;
  if (v.k !== 'str' || !v.parts || v.parts.length !== 1) return undefined;
  const p = v.parts[0];
  return p.from === 0 && p.to === v.v.length ? p.map : undefined;
}

/** `v` as the number `n`; the digits still point at their source only where they are spelled the same. */
export function asNum(v: Val, n: number): Val {
  const m = wholeMap(v);
  const same = v.k === 'num' ? numText(v.v) === numText(n) : v.k === 'str' && v.v === numText(n);
  return { k: 'num', v: n, map: m && (same || m.kind === 'whole') ? m : undefined };
}

export function toInt(v: Val): Val {
  return asNum(v, Math.trunc(num(v)));
}

export function equal(a: Val, b: Val): boolean {
  if (a.k === 'nil' || b.k === 'nil') return a.k === b.k;
  if (a.k === 'num' && b.k === 'num') return a.v === b.v;
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  if (a.k === 'bool' && b.k === 'bool') return a.v === b.v;
  if (a.k !== b.k) throw new Cannot(`cannot compare ${kindName(a)} with ${kindName(b)}`);
  throw new Cannot(`cannot compare ${kindName(a)}s`);
}

export function order(a: Val, b: Val): number {
  if (a.k === 'num' && b.k === 'num') return a.v - b.v;
  if (a.k === 'str' && b.k === 'str') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  throw new Cannot(`cannot order ${kindName(a)} and ${kindName(b)}`);
}

/** The string function `f` applied; the parts survive only when the text is unchanged. */
export function strFn(v: Val, f: (s: string) => string): Val {
  const r = printVal(v);
  const t = f(r.text);
  return str(t, t === r.text ? r.parts : undefined);
}

export function empty(v: Val): boolean {
  return !truth(v);
}

export function need(args: Val[], n: number, name: string): void {
  if (args.length < n) throw new Cannot(`${name} needs ${n} argument${n === 1 ? '' : 's'}`);
}

/** A Val for a plain JS object (Chart.yaml metadata, .Release): no sources. */
export function plainVal(x: unknown): Val {
  if (x === null || x === undefined) return NIL;
  if (typeof x === 'string') return str(x);
  if (typeof x === 'number') return { k: 'num', v: x };
  if (typeof x === 'boolean') return { k: 'bool', v: x };
  if (Array.isArray(x)) return { k: 'list', v: x.map(plainVal) };
  if (typeof x === 'object') return { k: 'map', v: new Map(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, plainVal(v)])) };
  return NIL;
}

/**
 * Counts changes made in place (`set`, `unset`, `merge` into a dict): an include memoised with an argument
 * is good only while nothing has changed since, since the argument's maps may be the ones changed.
 */
export const mutations = { n: 0 };

/** Methods by the value that has them (`.Files`, `.Capabilities.APIVersions`): such values are Helm's objects, never copied. */
export const METHODS = new WeakMap<object, Record<string, (a: Val[]) => Val>>();
