// A small, safe evaluator for the Go template subset charts use; every character it writes remembers its source.
import type { Loc } from '../../types';
import type { ActionSpan, Operand, ParsedTemplate, Pipe, TNode } from './helm-template';
import { NIL, str } from './helm-values';
import type { Mapping, Part, Val } from './helm-values';

/** Evaluation stops here: the expression is outside the supported subset or needs what is not known. */
export class Cannot extends Error {}

class BreakSignal {}
class ContinueSignal {}

/** Text with the source of its parts. */
export interface Rich {
  text: string;
  parts: Part[];
}

/** Where an action's output went in a render (`[from, to)`) and where the action is (`[start, end)` of `file`). */
export interface ActionOut {
  from: number;
  to: number;
  file: string;
  start: number;
  end: number;
}

/** Something left out of a render: an action whose value is unknown, or a block whose condition is. */
export interface Hole {
  /** Offset in the rendered text. */
  at: number;
  file: string;
  span: ActionSpan;
  why: string;
  /** `block`: an if/with/range that was not rendered, and whose body writes ports. */
  kind: 'value' | 'block';
}

export interface ChartContext {
  /** Named templates of the chart and its subcharts. */
  defines: Map<string, { tpl: ParsedTemplate; body: TNode[] }>;
  chartName: string;
  loc(file: string, start: number, end: number): Loc;
}

/** A render, or a string a function makes, larger than this is runaway (a range in a range over big values): it stops. */
const MAX_OUTPUT = 4_000_000;

/** Steps one chart environment's render may take (nodes, range iterations, includes, calls, printed values, 64 output characters). */
const MAX_STEPS = 1_000_000;

/** Includes nested deeper than this stop the render (helm stops at 1000, with an error). */
const MAX_DEPTH = 100;

/** The render stops: it needs more than a real chart does (an include chain that doubles, a template that includes itself). */
export class Runaway extends Error {}

/**
 * What one chart environment's render may spend, shared by its templates, and its memo of includes: a
 * named template's output depends only on its name and its argument (`$` is the argument inside it), so
 * an include of the same name with the same value object is evaluated once.
 */
export class EvalBudget {
  steps = 0;
  /** The top-level action under evaluation (where a stop is reported). */
  at?: { file: string; span: ActionSpan };
  readonly byValue = new WeakMap<object, Map<string, Rich | Cannot>>();
  readonly byScalar = new Map<string, Rich | Cannot>();
  constructor(readonly limit = MAX_STEPS) {}

  spend(n: number): void {
    this.steps += n;
    if (this.steps > this.limit) throw new Runaway(`it needs more than ${this.limit.toLocaleString('en-US')} evaluation steps`);
  }

  /** The memo slot of an include; a scalar without sources is keyed by its value, anything else by identity. */
  memo(name: string, arg: Val): { get(): Rich | Cannot | undefined; set(r: Rich | Cannot): void } {
    const plain = arg.k === 'nil' || ((arg.k === 'num' || arg.k === 'bool') && !arg.map) || (arg.k === 'str' && !arg.parts?.length);
    if (plain) {
      const key = `${name}\u0000${arg.k}\u0000${arg.k === 'nil' ? '' : String(arg.v)}`;
      return { get: () => this.byScalar.get(key), set: (r) => this.byScalar.set(key, r) };
    }
    let m = this.byValue.get(arg);
    if (!m) this.byValue.set(arg, (m = new Map()));
    const slot = m;
    return { get: () => slot.get(name), set: (r) => slot.set(name, r) };
  }
}

/** The budget of the render under way, for the value functions (printing, toYaml, toJson) that have no renderer at hand. */
let meter: EvalBudget | undefined;

function charge(n: number): void {
  meter?.spend(n);
}

/** A string a function makes that is too big stops the render. */
function bounded(len: number, what: string): void {
  if (len > MAX_OUTPUT) throw new Runaway(`${what} makes a string of more than ${MAX_OUTPUT.toLocaleString('en-US')} characters`);
}

const PORTISH = /\b(containerPort|targetPort|hostPort|servicePort|nodePort|port|ports|number)\s*:|\.[\w.]*[pP]orts?\b|Probe\s*:/;

interface Scope {
  dot: Val;
  vars: { name: string; val: Val }[];
}

/**
 * Renders a parsed template; unknown values are left out and listed as holes. Throws Runaway when the
 * render needs more than `budget` allows (`budget.at` says where it was).
 */
export function renderTemplate(ctx: ChartContext, tpl: ParsedTemplate, root: Val, budget = new EvalBudget()): { out: Rich; holes: Hole[]; actions: ActionOut[] } {
  const r = new Renderer(ctx, true, budget);
  const out: Rich = { text: '', parts: [] };
  const was = meter;
  meter = budget;
  budget.at = undefined;
  try {
    r.nodes(tpl, tpl.root, { dot: root, vars: [{ name: '$', val: root }] }, out);
  } finally {
    meter = was;
  }
  return { out, holes: r.holes, actions: r.actions };
}

class Renderer {
  readonly holes: Hole[] = [];
  readonly actions: ActionOut[] = [];
  private depth = 0;
  constructor(private readonly ctx: ChartContext, private readonly top: boolean, private readonly budget: EvalBudget) {}

  nodes(tpl: ParsedTemplate, nodes: TNode[], scope: Scope, out: Rich): void {
    for (const n of nodes) {
      this.budget.spend(1);
      if (this.top && n.t !== 'text') this.budget.at = { file: tpl.file, span: n.span };
      this.node(tpl, n, scope, out);
      if (out.text.length > MAX_OUTPUT) throw new Runaway(`it renders more than ${MAX_OUTPUT.toLocaleString('en-US')} characters`);
    }
  }

  private node(tpl: ParsedTemplate, n: TNode, scope: Scope, out: Rich): void {
    switch (n.t) {
      case 'text':
        append(out, tpl.text.slice(n.start, n.end), [{ from: 0, to: n.end - n.start, map: { kind: 'linear', file: tpl.file, at: n.start, tpl: true } }]);
        return;
      case 'out': {
        let v: Val;
        try {
          v = this.pipe(tpl, n.pipe, scope);
          if (n.pipe.decl) return;
          const p = printVal(v);
          this.emit(tpl, n.span, p, out);
        } catch (e) {
          if (!(e instanceof Cannot)) throw e;
          // `{{ $p := … }}` writes nothing: the variable carries the reason to wherever it is used.
          if (!n.pipe.decl) this.hole(tpl, n.span, e.message, 'value', out);
          else if (!n.pipe.decl.assign) declare(scope, n.pipe.decl, { k: 'unknown', why: e.message });
          else {
            const name = n.pipe.decl.names[n.pipe.decl.names.length - 1];
            const slot = [...scope.vars].reverse().find((x) => x.name === name);
            if (slot) slot.val = { k: 'unknown', why: e.message };
          }
        }
        return;
      }
      case 'if':
      case 'with': {
        // Variables declared in the condition or the body end with the block.
        const mark = scope.vars.length;
        let v: Val;
        let yes: boolean;
        try {
          v = this.pipe(tpl, n.cond, scope);
          yes = truth(v);
        } catch (e) {
          if (!(e instanceof Cannot)) throw e;
          scope.vars.length = mark;
          this.skipped(tpl, n.span, n.bodyEnd, e.message, out);
          return;
        }
        if (yes) this.nodes(tpl, n.body, n.t === 'with' ? { dot: v, vars: scope.vars } : scope, out);
        else if (n.otherwise) this.nodes(tpl, n.otherwise, scope, out);
        scope.vars.length = mark;
        return;
      }
      case 'range': {
        const mark = scope.vars.length;
        let v: Val;
        try {
          v = this.pipe(tpl, { cmds: n.pipe.cmds }, scope);
          if (v.k === 'unknown') throw new Cannot(v.why);
          if (v.k !== 'nil' && v.k !== 'list' && v.k !== 'map' && !(v.k === 'num' && Number.isInteger(v.v) && v.v <= 10000)) throw new Cannot(`range over ${kindName(v)} is not supported`);
        } catch (e) {
          if (!(e instanceof Cannot)) throw e;
          this.skipped(tpl, n.span, n.bodyEnd, e.message, out);
          return;
        }
        const entries: [Val, Val][] =
          v.k === 'list' ? v.v.map((x, i) => [{ k: 'num', v: i }, x]) : v.k === 'map' ? [...v.v.keys()].sort().map((k) => [str(k), (v as { v: Map<string, Val> }).v.get(k) as Val]) : v.k === 'num' ? Array.from({ length: Math.max(0, v.v) }, (_, i): [Val, Val] => [{ k: 'num', v: i }, { k: 'num', v: i }]) : [];
        if (entries.length === 0) {
          if (n.otherwise) this.nodes(tpl, n.otherwise, scope, out);
          return;
        }
        for (const [key, val] of entries) {
          this.budget.spend(1);
          scope.vars.length = mark;
          const names = n.pipe.decl?.names ?? [];
          if (names.length === 1) scope.vars.push({ name: names[0], val });
          if (names.length === 2) scope.vars.push({ name: names[0], val: key }, { name: names[1], val });
          try {
            this.nodes(tpl, n.body, { dot: val, vars: scope.vars }, out);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (!(e instanceof ContinueSignal)) throw e;
          }
        }
        scope.vars.length = mark;
        return;
      }
      case 'template': {
        try {
          const arg = n.pipe ? this.pipe(tpl, n.pipe, scope) : NIL;
          this.emit(tpl, n.span, this.include(n.name, arg), out);
        } catch (e) {
          if (!(e instanceof Cannot)) throw e;
          this.hole(tpl, n.span, e.message, 'value', out);
        }
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  /** An action's output: what has no source of its own stands for the action. */
  private emit(tpl: ParsedTemplate, span: ActionSpan, r: Rich, out: Rich): void {
    const from = out.text.length;
    this.budget.spend(r.text.length >> 6);
    append(out, r.text, r.parts, { kind: 'whole', loc: this.ctx.loc(tpl.file, span.start, span.end), tpl: true });
    if (this.top && r.text) this.actions.push({ from, to: out.text.length, file: tpl.file, start: span.start, end: span.end });
  }

  private hole(tpl: ParsedTemplate, span: ActionSpan, why: string, kind: Hole['kind'], out: Rich): void {
    // Inside a named template nothing says whether the value is a port: the include as a whole is unknown.
    if (!this.top) throw new Cannot(why);
    this.holes.push({ at: out.text.length, file: tpl.file, span, why, kind });
  }

  /** A block whose condition is unknown renders nothing; that matters where its body writes ports. */
  private skipped(tpl: ParsedTemplate, span: ActionSpan, bodyEnd: number, why: string, out: Rich): void {
    if (!PORTISH.test(tpl.text.slice(span.end, bodyEnd))) return;
    this.hole(tpl, span, why, 'block', out);
  }

  /** A named template's output (memoised per name and argument); the template text's own positions are dropped (they stand for the include). */
  include(name: string, arg: Val): Rich {
    this.budget.spend(1);
    // A subchart's renders share the budget; a missing name helper falls back to its own chart's name.
    const slot = this.budget.memo(`${this.ctx.chartName}\u0000${name}`, arg);
    let r = slot.get();
    if (!r) {
      try {
        r = this.expand(name, arg);
      } catch (e) {
        if (!(e instanceof Cannot)) throw e;
        r = e;
      }
      slot.set(r);
    }
    if (r instanceof Cannot) throw new Cannot(r.message);
    return r;
  }

  private expand(name: string, arg: Val): Rich {
    const def = this.ctx.defines.get(name);
    if (!def) {
      // Charts name their `name`/`fullname` helpers after the chart; without the helper, the chart name stands in.
      if (/(^|\.)(name|fullname)$/.test(name)) return { text: this.ctx.chartName, parts: [] };
      throw new Cannot(`no template named "${name}" in the chart`);
    }
    if (this.depth >= MAX_DEPTH) throw new Runaway(`template "${name}" is included more than ${MAX_DEPTH} deep (a template that includes itself without end?); helm stops at 1000 with "exceeded max depth"`);
    const inner = new Renderer(this.ctx, false, this.budget);
    inner.depth = this.depth + 1;
    const out: Rich = { text: '', parts: [] };
    try {
      inner.nodes(def.tpl, def.body, { dot: arg, vars: [{ name: '$', val: arg }] }, out);
    } catch (e) {
      if (e instanceof BreakSignal || e instanceof ContinueSignal) throw new Cannot('break or continue outside a range');
      if (e instanceof Cannot && /(^|\.)(name|fullname)$/.test(name)) return { text: this.ctx.chartName, parts: [] };
      throw e;
    }
    return { text: out.text, parts: out.parts.filter((p) => !p.map.tpl) };
  }

  pipe(tpl: ParsedTemplate, p: Pipe, scope: Scope): Val {
    let v: Val | undefined;
    for (const cmd of p.cmds) v = this.command(tpl, cmd, scope, v);
    const result = v as Val;
    if (p.decl) declare(scope, p.decl, result);
    return result;
  }

  private command(tpl: ParsedTemplate, cmd: Operand[], scope: Scope, piped: Val | undefined): Val {
    const head = cmd[0];
    if (head.t === 'ident') return this.call(tpl, head.name, cmd.slice(1), scope, piped);
    if (cmd.length > 1 || piped !== undefined) {
      // `.Capabilities.APIVersions.Has "x"`: say what is unknown about the receiver before blaming the call.
      if (head.t === 'field') this.operand(tpl, head, scope);
      throw new Cannot(head.t === 'field' ? 'method calls with arguments are not supported' : `${describe(head)} is not a function`);
    }
    return this.operand(tpl, head, scope);
  }

  private operand(tpl: ParsedTemplate, o: Operand, scope: Scope): Val {
    switch (o.t) {
      case 'str': {
        const raw = tpl.text.slice(o.start, o.end);
        return str(o.v, o.v && raw === JSON.stringify(o.v) ? [{ from: 0, to: o.v.length, map: { kind: 'linear', file: tpl.file, at: o.start + 1, tpl: true } }] : undefined);
      }
      case 'num':
        return { k: 'num', v: o.v, map: o.raw === numText(o.v) ? { kind: 'linear', file: tpl.file, at: o.start, tpl: true } : { kind: 'whole', loc: this.ctx.loc(tpl.file, o.start, o.end), tpl: true } };
      case 'bool':
        return { k: 'bool', v: o.v };
      case 'nil':
        return NIL;
      case 'ident':
        return this.call(tpl, o.name, [], scope, undefined);
      case 'field': {
        let cur: Val;
        let label: string;
        if (o.recv.t === 'dot') {
          cur = scope.dot;
          label = '';
        } else if (o.recv.t === 'var') {
          const name = o.recv.name;
          const slot = [...scope.vars].reverse().find((x) => x.name === name);
          if (!slot) throw new Cannot(`undefined variable ${name}`);
          cur = slot.val;
          label = name;
        } else {
          cur = this.pipe(tpl, o.recv.pipe, { dot: scope.dot, vars: scope.vars });
          label = '(…)';
        }
        for (const f of o.fields) {
          if (cur.k === 'unknown') throw new Cannot(cur.why);
          if (cur.k === 'map') cur = cur.v.get(f) ?? NIL;
          else if (cur.k === 'nil') throw new Cannot(`${label || '.'} is not set`);
          else throw new Cannot(`${label || '.'} is ${kindName(cur)}, not a map`);
          label = `${label}.${f}`;
        }
        if (cur.k === 'unknown') throw new Cannot(cur.why);
        return cur;
      }
    }
  }

  private call(tpl: ParsedTemplate, name: string, args: Operand[], scope: Scope, piped: Val | undefined): Val {
    // `and` and `or` stop at the first argument that decides, as Go's do.
    if (name === 'and' || name === 'or') {
      const thunks: (() => Val)[] = args.map((a) => () => this.operand(tpl, a, scope));
      if (piped !== undefined) thunks.push(() => piped);
      if (thunks.length === 0) throw new Cannot(`${name} needs arguments`);
      let last: Val = NIL;
      for (const t of thunks) {
        last = t();
        if (truth(last) !== (name === 'and')) return last;
      }
      return last;
    }
    const values = args.map((a) => this.operand(tpl, a, scope));
    if (piped !== undefined) values.push(piped);
    if (name === 'include') {
      if (values.length !== 2) throw new Cannot('include takes a name and a context');
      const r = this.include(text(values[0]), values[1]);
      return str(r.text, r.parts);
    }
    const fn = Object.hasOwn(FUNCS, name) ? FUNCS[name] : undefined;
    if (!fn) throw new Cannot(`${name} is not supported`);
    for (const v of values) if (v.k === 'unknown') throw new Cannot(v.why);
    this.budget.spend(1);
    const out = fn(values);
    if (out.k === 'str') {
      bounded(out.v.length, name);
      this.budget.spend(out.v.length >> 6);
    }
    return out;
  }
}

/** `$x := v` declares in the current scope; `$x = v` assigns the nearest `$x`. */
function declare(scope: Scope, decl: NonNullable<Pipe['decl']>, val: Val): void {
  const name = decl.names[decl.names.length - 1];
  if (decl.assign) {
    const slot = [...scope.vars].reverse().find((x) => x.name === name);
    if (!slot) throw new Cannot(`undefined variable ${name}`);
    slot.val = val;
  } else scope.vars.push({ name, val });
}

function describe(o: Operand): string {
  return o.t === 'str' ? JSON.stringify(o.v) : o.t === 'num' ? o.raw : o.t;
}

function kindName(v: Val): string {
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

function shiftMap(m: Mapping, by: number): Mapping {
  return m.kind === 'linear' && by ? { ...m, at: m.at + by } : m;
}

/** Parts of `s` moved by `by` characters (clipped to `[0, len)`). */
function shifted(parts: Part[] | undefined, by: number, len: number): Part[] {
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
      throw new Cannot(v.why);
  }
}

/** A list or map as Go prints it; `size` counts what is printed, so that a value nested on itself (`list $l $l`) stops early. */
function printComposite(v: Val, size: { n: number }): string {
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

function text(v: Val): string {
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
      throw new Cannot(v.why);
  }
}

function num(v: Val): number {
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
function wholeMap(v: Val): Mapping | undefined {
  if (v.k === 'num' || v.k === 'bool') return v.map;
  if (v.k !== 'str' || !v.parts || v.parts.length !== 1) return undefined;
  const p = v.parts[0];
  return p.from === 0 && p.to === v.v.length ? p.map : undefined;
}

/** `v` as the number `n`; the digits still point at their source only where they are spelled the same. */
function asNum(v: Val, n: number): Val {
  const m = wholeMap(v);
  const same = v.k === 'num' ? numText(v.v) === numText(n) : v.k === 'str' && v.v === numText(n);
  return { k: 'num', v: n, map: m && (same || m.kind === 'whole') ? m : undefined };
}

function toInt(v: Val): Val {
  return asNum(v, Math.trunc(num(v)));
}

function equal(a: Val, b: Val): boolean {
  if (a.k === 'nil' || b.k === 'nil') return a.k === b.k;
  if (a.k === 'num' && b.k === 'num') return a.v === b.v;
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  if (a.k === 'bool' && b.k === 'bool') return a.v === b.v;
  if (a.k !== b.k) throw new Cannot(`cannot compare ${kindName(a)} with ${kindName(b)}`);
  throw new Cannot(`cannot compare ${kindName(a)}s`);
}

function order(a: Val, b: Val): number {
  if (a.k === 'num' && b.k === 'num') return a.v - b.v;
  if (a.k === 'str' && b.k === 'str') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  throw new Cannot(`cannot order ${kindName(a)} and ${kindName(b)}`);
}

/** Go's %-verbs for printf: %s %d %v %q %%. */
function sprintf(format: string, args: Val[]): string {
  let i = 0;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([sdvqxfgt%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const a = args[i++];
    if (verb === 'q') return JSON.stringify(text(a));
    if (verb === 'd') return a.k === 'num' && Number.isInteger(a.v) ? String(a.v) : `%!d(${text(a)})`;
    if (verb === 'x' || verb === 'f' || verb === 'g') throw new Cannot(`printf %${verb} is not supported`);
    return text(a);
  });
}

/** `s` indented by `n` spaces on every line, with its parts moved along (nindent: after a newline). */
function indentRich(s: Val, n: number, newline: boolean): Val {
  const r = printVal(s);
  const pad = ' '.repeat(Math.max(0, Math.min(n, 1000)));
  const lead = (newline ? 1 : 0) + pad.length;
  bounded(r.text.length + lead + (r.text.split('\n').length - 1) * pad.length, newline ? 'nindent' : 'indent');
  const out = (newline ? '\n' : '') + pad + r.text.replace(/\n/g, `\n${pad}`);
  const nl: number[] = [];
  for (let i = 0; i < r.text.length; i++) if (r.text[i] === '\n') nl.push(i);
  /** How many newlines come before offset i. */
  const before = (i: number): number => {
    let lo = 0;
    let hi = nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (nl[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Old offset i moves by the lead, plus a pad per newline before it; a part is cut after each newline it holds.
  const parts: Part[] = [];
  for (const p of r.parts) {
    let from = p.from;
    let k = before(p.from);
    while (from < p.to) {
      const to = k < nl.length && nl[k] < p.to ? nl[k] + 1 : p.to;
      const at = from + lead + k * pad.length;
      parts.push({ from: at, to: at + (to - from), map: shiftMap(p.map, from - p.from) });
      from = to;
      k++;
    }
  }
  return str(out, parts);
}

/** The string function `f` applied; the parts survive only when the text is unchanged. */
function strFn(v: Val, f: (s: string) => string): Val {
  const r = printVal(v);
  const t = f(r.text);
  return str(t, t === r.text ? r.parts : undefined);
}

const YAML_WORDS = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
/** What YAML 1.1 would read as a number or a date: go-yaml quotes such strings. */
const YAML_NUMBER = /^([-+]?(\d[\d_]*(\.[\d_]*)?|\.\d+)([eE][-+]?\d+)?|0[xX][\da-fA-F_]+|0[bB][01_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|\d+(:[0-5]?\d)+|\d{4}-\d\d?-\d\d?.*)$/;

/** Scalars as Helm's toYaml (go-yaml) writes them: plain where that reads back the same, else double-quoted. */
function yamlScalar(v: Val): Rich {
  if (v.k === 'nil') return { text: 'null', parts: [] };
  if (v.k === 'num' || v.k === 'bool') return printVal(v);
  const s = text(v);
  const parts = v.k === 'str' ? (v.parts ?? []) : [];
  const plain = s !== '' && /^[\w./][\w./-]*( [\w./-]+)*$/.test(s) && !YAML_WORDS.test(s) && !YAML_NUMBER.test(s);
  if (plain) return { text: s, parts };
  const q = JSON.stringify(s);
  return { text: q, parts: q === `"${s}"` ? shifted(parts, 1, q.length - 1) : [] };
}

/** Helm's toYaml: keys sorted, lists at the indentation of their key, no trailing newline. */
function toYaml(v: Val): Val {
  const out: Rich = { text: '', parts: [] };
  const emit = (x: Val, indent: string, inline: boolean): void => {
    charge(1);
    bounded(out.text.length, 'toYaml');
    // `inline`: the value follows `key:` or `- ` on the current line.
    if (x.k === 'map' && x.v.size > 0) {
      let first = true;
      for (const k of [...x.v.keys()].sort()) {
        const child = x.v.get(k) as Val;
        const key = yamlScalar(str(k));
        append(out, `${first && inline ? '' : indent}${key.text}:`, []);
        first = false;
        if (child.k === 'map' && child.v.size > 0) {
          append(out, '\n', []);
          emit(child, `${indent}  `, false);
        } else if (child.k === 'list' && child.v.length > 0) {
          append(out, '\n', []);
          emit(child, indent, false);
        } else {
          append(out, ' ', []);
          emit(child, indent, true);
          append(out, '\n', []);
        }
      }
      return;
    }
    if (x.k === 'list' && x.v.length > 0) {
      for (const item of x.v) {
        append(out, `${indent}- `, []);
        if ((item.k === 'map' && item.v.size > 0) || (item.k === 'list' && item.v.length > 0)) emit(item, `${indent}  `, true);
        else {
          emit(item, indent, true);
          append(out, '\n', []);
        }
      }
      return;
    }
    if (x.k === 'map') return append(out, '{}', []);
    if (x.k === 'list') return append(out, '[]', []);
    if (x.k === 'unknown') throw new Cannot(x.why);
    const s = yamlScalar(x);
    append(out, s.text, s.parts);
  };
  emit(v, '', true);
  return str(out.text.replace(/\n$/, ''), out.parts.filter((p) => p.from < out.text.replace(/\n$/, '').length));
}

function toJson(v: Val): string {
  let nodes = 0;
  const plain = (x: Val): unknown => {
    charge(1);
    // A value nested on itself (`list $l $l`) is a tree far bigger than its memory: count what is written.
    bounded(++nodes * 2, 'toJson');
    switch (x.k) {
      case 'nil':
        return null;
      case 'list':
        return x.v.map(plain);
      case 'map':
        return Object.fromEntries([...x.v.keys()].sort().map((k) => [k, plain(x.v.get(k) as Val)]));
      case 'unknown':
        throw new Cannot(x.why);
      default:
        return x.v;
    }
  };
  return JSON.stringify(plain(v));
}

function empty(v: Val): boolean {
  return !truth(v);
}

function need(args: Val[], n: number, name: string): void {
  if (args.length < n) throw new Cannot(`${name} needs ${n} argument${n === 1 ? '' : 's'}`);
}

/** The functions the evaluator knows (Go's builtins and the Sprig/Helm ones charts use for names, labels and ports). */
const FUNCS: Record<string, (a: Val[]) => Val> = {
  default: (a) => {
    need(a, 1, 'default');
    return a.length < 2 || empty(a[1]) ? a[0] : a[1];
  },
  required: (a) => {
    need(a, 2, 'required');
    if (a[1].k === 'nil' || (a[1].k === 'str' && a[1].v === '')) throw new Cannot(`required value is not set: ${text(a[0])}`);
    return a[1];
  },
  fail: (a): Val => {
    throw new Cannot(`the chart fails: ${a.map(text).join(' ')}`);
  },
  empty: (a) => ({ k: 'bool', v: empty(a[0] ?? NIL) }),
  coalesce: (a) => a.find((x) => !empty(x)) ?? NIL,
  ternary: (a) => {
    need(a, 3, 'ternary');
    return truth(a[2]) ? a[0] : a[1];
  },
  not: (a) => ({ k: 'bool', v: !truth(a[0] ?? NIL) }),
  eq: (a) => {
    need(a, 2, 'eq');
    return { k: 'bool', v: a.slice(1).some((b) => equal(a[0], b)) };
  },
  ne: (a) => {
    need(a, 2, 'ne');
    return { k: 'bool', v: !equal(a[0], a[1]) };
  },
  lt: (a) => ({ k: 'bool', v: order(a[0] ?? NIL, a[1] ?? NIL) < 0 }),
  le: (a) => ({ k: 'bool', v: order(a[0] ?? NIL, a[1] ?? NIL) <= 0 }),
  gt: (a) => ({ k: 'bool', v: order(a[0] ?? NIL, a[1] ?? NIL) > 0 }),
  ge: (a) => ({ k: 'bool', v: order(a[0] ?? NIL, a[1] ?? NIL) >= 0 }),
  len: (a) => {
    const v = a[0] ?? NIL;
    if (v.k === 'str' || v.k === 'list') return { k: 'num', v: v.v.length };
    if (v.k === 'map') return { k: 'num', v: v.v.size };
    throw new Cannot(`len of ${kindName(v)}`);
  },
  index: (a) => {
    need(a, 1, 'index');
    let cur = a[0];
    for (const k of a.slice(1)) {
      if (cur.k === 'map') cur = cur.v.get(text(k)) ?? NIL;
      else if (cur.k === 'list' && k.k === 'num' && k.v >= 0 && k.v < cur.v.length) cur = cur.v[k.v];
      else throw new Cannot(`cannot index ${kindName(cur)} with ${text(k)}`);
    }
    return cur;
  },
  get: (a) => {
    need(a, 2, 'get');
    return a[0].k === 'map' ? (a[0].v.get(text(a[1])) ?? str('')) : str('');
  },
  hasKey: (a) => {
    need(a, 2, 'hasKey');
    return { k: 'bool', v: a[0].k === 'map' && a[0].v.has(text(a[1])) };
  },
  list: (a) => ({ k: 'list', v: a }),
  dict: (a) => {
    const m = new Map<string, Val>();
    for (let i = 0; i < a.length; i += 2) m.set(text(a[i]), a[i + 1] ?? str(''));
    return { k: 'map', v: m };
  },
  quote: (a) => {
    const vals = a.filter((x) => x.k !== 'nil');
    if (vals.length !== 1) return str(vals.map((x) => JSON.stringify(text(x))).join(' '));
    const r = printVal(vals[0]);
    const q = JSON.stringify(r.text);
    return str(q, q === `"${r.text}"` ? shifted(r.parts, 1, q.length - 1) : undefined);
  },
  squote: (a) => {
    const vals = a.filter((x) => x.k !== 'nil');
    if (vals.length !== 1) return str(vals.map((x) => `'${text(x)}'`).join(' '));
    const r = printVal(vals[0]);
    return str(`'${r.text}'`, shifted(r.parts, 1, r.text.length + 1));
  },
  toString: (a: Val[]) => {
    const r = printVal(a[0] ?? NIL);
    return str(r.text, r.parts);
  },
  int: (a) => toInt(a[0] ?? NIL),
  int64: (a) => toInt(a[0] ?? NIL),
  int32: (a) => toInt(a[0] ?? NIL),
  atoi: (a) => toInt(a[0] ?? NIL),
  float64: (a) => asNum(a[0] ?? NIL, num(a[0] ?? NIL)),
  until: (a) => {
    const n = num(a[0] ?? NIL);
    if (n > 10000) throw new Cannot(`until ${n} is too long`);
    return { k: 'list', v: Array.from({ length: Math.max(0, Math.trunc(n)) }, (_, i): Val => ({ k: 'num', v: i })) };
  },
  toYaml: (a) => toYaml(a[0] ?? NIL),
  toJson: (a) => str(toJson(a[0] ?? NIL)),
  indent: (a) => {
    need(a, 2, 'indent');
    return indentRich(a[1], num(a[0]), false);
  },
  nindent: (a) => {
    need(a, 2, 'nindent');
    return indentRich(a[1], num(a[0]), true);
  },
  trim: (a) => strFn(a[0] ?? NIL, (s) => s.trim()),
  trimSuffix: (a) => {
    need(a, 2, 'trimSuffix');
    const suf = text(a[0]);
    return strFn(a[1], (s) => (suf && s.endsWith(suf) ? s.slice(0, -suf.length) : s));
  },
  trimPrefix: (a) => {
    need(a, 2, 'trimPrefix');
    const pre = text(a[0]);
    return strFn(a[1], (s) => (pre && s.startsWith(pre) ? s.slice(pre.length) : s));
  },
  trimAll: (a) => {
    need(a, 2, 'trimAll');
    const cut = text(a[0]);
    return strFn(a[1], (s) => {
      let i = 0;
      let j = s.length;
      while (i < j && cut.includes(s[i])) i++;
      while (j > i && cut.includes(s[j - 1])) j--;
      return s.slice(i, j);
    });
  },
  trunc: (a) => {
    need(a, 2, 'trunc');
    const n = num(a[0]);
    return strFn(a[1], (s) => (n >= 0 ? s.slice(0, n) : s.slice(Math.max(0, s.length + n))));
  },
  lower: (a) => strFn(a[0] ?? NIL, (s) => s.toLowerCase()),
  upper: (a) => strFn(a[0] ?? NIL, (s) => s.toUpperCase()),
  replace: (a) => {
    need(a, 3, 'replace');
    return strFn(a[2], (s) => {
      const pieces = s.split(text(a[0]));
      bounded(s.length + (pieces.length - 1) * (text(a[1]).length - text(a[0]).length), 'replace');
      return pieces.join(text(a[1]));
    });
  },
  contains: (a) => {
    need(a, 2, 'contains');
    return { k: 'bool', v: text(a[1]).includes(text(a[0])) };
  },
  hasPrefix: (a) => {
    need(a, 2, 'hasPrefix');
    return { k: 'bool', v: text(a[1]).startsWith(text(a[0])) };
  },
  hasSuffix: (a) => {
    need(a, 2, 'hasSuffix');
    return { k: 'bool', v: text(a[1]).endsWith(text(a[0])) };
  },
  printf: (a) => {
    need(a, 1, 'printf');
    return str(sprintf(text(a[0]), a.slice(1)));
  },
  print: (a) => str(a.map((x, i) => (i > 0 && x.k !== 'str' && a[i - 1].k !== 'str' ? ' ' : '') + text(x)).join('')),
  join: (a) => {
    need(a, 2, 'join');
    const l = a[1];
    return str(l.k === 'list' ? l.v.map(text).join(text(a[0])) : text(l));
  },
  kindIs: (a) => {
    need(a, 2, 'kindIs');
    const kinds: Record<string, string> = { nil: 'invalid', str: 'string', num: 'float64', bool: 'bool', list: 'slice', map: 'map', unknown: '' };
    return { k: 'bool', v: kinds[a[1].k] === text(a[0]) };
  },
  b64enc: (a) => str(Buffer.from(text(a[0] ?? NIL), 'utf8').toString('base64')),
};

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
