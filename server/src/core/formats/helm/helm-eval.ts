// A small, safe evaluator for the Go template subset charts use; every character it writes remembers its source.
import type { Loc } from '../../types';
import type { ActionSpan, Operand, ParsedTemplate, Pipe, TNode } from './helm-template';
import { NIL, str } from './helm-values';
import type { Val } from './helm-values';
import { append, bounded, Cannot, cannotOf, kindName, MAX_OUTPUT, numText, mutations, printVal, Runaway, setMeter, text, truth, unknowable } from './helm-print';
import type { Rich } from './helm-print';
import { FUNCS, UNKNOWN_BY_DESIGN } from './helm-funcs';
import { methodOf } from './helm-objects';
import { parseTemplate, TemplateSyntaxError } from './helm-template';

export { Cannot, plainVal, Runaway } from './helm-print';
export type { Rich } from './helm-print';

class BreakSignal {}
class ContinueSignal {}

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
  /** The action that needed what is missing (inside a named template, where the include is `span`). */
  origin: { file: string; span: { start: number; end: number; text: string } };
  /** What is missing cannot be known before install or is not here to read: said wherever it is. */
  unknowable: boolean;
  /** `block`: an if/with/range that was not rendered, and whose body writes ports. */
  kind: 'value' | 'block';
}

export interface ChartContext {
  /** Named templates of the chart and its subcharts. */
  defines: Map<string, { tpl: ParsedTemplate; body: TNode[] }>;
  chartName: string;
  loc(file: string, start: number, end: number): Loc;
}

/** Steps one chart environment's render may take (nodes, range iterations, includes, calls, printed values, 64 output characters). */
const MAX_STEPS = 1_000_000;

/** Includes nested deeper than this stop the render (helm stops at 1000, with an error). */
const MAX_DEPTH = 100;

/** A block left out of a render (no port in it) because of what cannot be known before install: said, not a hole. */
export interface Aside {
  origin: Hole['origin'];
  why: string;
  /** The top-level action whose include needed it. */
  via?: { file: string; span: ActionSpan };
}

interface Memo {
  r: Rich | Cannot;
  epoch: number;
}

/**
 * What one chart environment's render may spend, shared by its templates, and its memo of includes: a
 * named template's output depends only on its name and its argument (`$` is the argument inside it), so
 * an include of the same name with the same value object is evaluated once.
 */
export class EvalBudget {
  steps = 0;
  /** The top-level action under evaluation (where a stop is reported). */
  at?: { file: string; span: ActionSpan };
  readonly byValue = new WeakMap<object, Map<string, Memo>>();
  readonly byScalar = new Map<string, Memo>();
  /** Blocks left out that write no port but depend on what nothing can know, since the last render began. */
  asides: Aside[] = [];
  /** Strings `tpl` parsed, by text. */
  readonly tpls = new Map<string, ParsedTemplate | TemplateSyntaxError>();
  constructor(readonly limit = MAX_STEPS) {}

  spend(n: number): void {
    this.steps += n;
    if (this.steps > this.limit) throw new Runaway(`it needs more than ${this.limit.toLocaleString('en-US')} evaluation steps`);
  }

  /**
   * The memo slot of an include; a scalar without sources is keyed by its value, anything else by identity.
   * A result holds only while no dict was changed in place since it was made (`set` may have changed the
   * argument), and only a render that changed nothing itself is kept (rendering it again would change more).
   */
  memo(name: string, arg: Val): { get(): Rich | Cannot | undefined; set(r: Rich | Cannot, since: number): void } {
    const plain = arg.k === 'nil' || ((arg.k === 'num' || arg.k === 'bool') && !arg.map) || (arg.k === 'str' && !arg.parts?.length);
    let slots: { get(): Memo | undefined; put(m: Memo): void };
    if (plain) {
      const key = `${name}\u0000${arg.k}\u0000${arg.k === 'nil' ? '' : String(arg.v)}`;
      slots = { get: () => this.byScalar.get(key), put: (m) => this.byScalar.set(key, m) };
    } else {
      let m = this.byValue.get(arg);
      if (!m) this.byValue.set(arg, (m = new Map()));
      const slot = m;
      slots = { get: () => slot.get(name), put: (x) => slot.set(name, x) };
    }
    return {
      get: () => {
        const m = slots.get();
        return m && m.epoch === mutations.n ? m.r : undefined;
      },
      set: (r, since) => {
        if (since === mutations.n) slots.put({ r, epoch: since });
      },
    };
  }
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
export function renderTemplate(ctx: ChartContext, tpl: ParsedTemplate, root: Val, budget = new EvalBudget()): { out: Rich; holes: Hole[]; actions: ActionOut[]; asides: Aside[] } {
  const r = new Renderer(ctx, true, budget);
  const out: Rich = { text: '', parts: [] };
  const was = setMeter(budget);
  budget.at = undefined;
  budget.asides = [];
  try {
    r.nodes(tpl, tpl.root, { dot: root, vars: [{ name: '$', val: root }] }, out);
  } finally {
    setMeter(was);
  }
  return { out, holes: r.holes, actions: r.actions, asides: budget.asides };
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
          // The use of the variable is where it is said (with this reason), unless a named template's line needed it.
          const u: Val = { k: 'unknown', why: e.message, unknowable: e.unknowable, at: e.at };
          if (!n.pipe.decl) this.hole(tpl, n.span, e, 'value', out);
          else if (!n.pipe.decl.assign) declare(scope, n.pipe.decl, u);
          else {
            const name = n.pipe.decl.names[n.pipe.decl.names.length - 1];
            const slot = [...scope.vars].reverse().find((x) => x.name === name);
            if (slot) slot.val = u;
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
          this.skipped(tpl, n.span, n.bodyEnd, e, out);
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
          if (v.k === 'unknown') throw cannotOf(v);
          if (v.k !== 'nil' && v.k !== 'list' && v.k !== 'map' && !(v.k === 'num' && Number.isInteger(v.v) && v.v <= 10000)) throw new Cannot(`range over ${kindName(v)} is not supported`);
        } catch (e) {
          if (!(e instanceof Cannot)) throw e;
          this.skipped(tpl, n.span, n.bodyEnd, e, out);
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
          this.hole(tpl, n.span, e, 'value', out);
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

  private hole(tpl: ParsedTemplate, span: ActionSpan, e: Cannot, kind: Hole['kind'], out: Rich): void {
    const origin = e.at ?? { file: tpl.file, span };
    // Inside a named template nothing says whether the value is a port: the include as a whole is unknown.
    if (!this.top) {
      const c = cannotOf(e);
      c.at = origin;
      throw c;
    }
    this.holes.push({ at: out.text.length, file: tpl.file, span, why: e.message, origin, unknowable: !!e.unknowable, kind });
  }

  /** A block whose condition is unknown renders nothing; that matters where its body writes ports, or where nothing can know it. */
  private skipped(tpl: ParsedTemplate, span: ActionSpan, bodyEnd: number, e: Cannot, out: Rich): void {
    if (PORTISH.test(tpl.text.slice(span.end, bodyEnd))) return this.hole(tpl, span, e, 'block', out);
    // A block that writes no port renders nothing and the render goes on; what nothing can know is still said.
    if (e.unknowable) this.budget.asides.push({ origin: e.at ?? { file: tpl.file, span }, why: e.message, via: this.top ? undefined : this.budget.at });
  }

  /** A named template's output (memoised per name and argument); the template text's own positions are dropped (they stand for the include). */
  include(name: string, arg: Val): Rich {
    this.budget.spend(1);
    // A subchart's renders share the budget; a missing name helper falls back to its own chart's name.
    const slot = this.budget.memo(`${this.ctx.chartName}\u0000${name}`, arg);
    let r = slot.get();
    if (!r) {
      const since = mutations.n;
      try {
        r = this.expand(name, arg);
      } catch (e) {
        if (!(e instanceof Cannot)) throw e;
        r = e;
      }
      slot.set(r, since);
    }
    if (r instanceof Cannot) throw cannotOf(r);
    return r;
  }

  private expand(name: string, arg: Val): Rich {
    const def = this.ctx.defines.get(name);
    if (!def) {
      // Charts name their `name`/`fullname` helpers after the chart; without the helper, the chart name stands in.
      if (/(^|\.)(name|fullname)$/.test(name)) return { text: this.ctx.chartName, parts: [] };
      throw unknowable(`no template named "${name}" in the chart`);
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

  /** Helm's tpl: a string rendered as a template, with the chart's named templates, in the context given. */
  private tpl(values: Val[]): Val {
    if (values.length !== 2) throw new Cannot('tpl takes a template and a context');
    for (const v of values) if (v.k === 'unknown') throw cannotOf(v);
    // A string without actions is itself, with its source.
    if (!text(values[0]).includes('{{')) return values[0];
    const src = text(values[0]);
    let parsed = this.budget.tpls.get(src);
    if (!parsed) {
      try {
        parsed = parseTemplate('tpl', src);
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
        parsed = e;
      }
      this.budget.tpls.set(src, parsed);
    }
    if (parsed instanceof TemplateSyntaxError) throw unknowable(`tpl cannot read its template (${parsed.message})`);
    if (this.depth >= MAX_DEPTH) throw new Runaway(`tpl renders templates more than ${MAX_DEPTH} deep`);
    const inner = new Renderer(this.ctx, false, this.budget);
    inner.depth = this.depth + 1;
    const out: Rich = { text: '', parts: [] };
    try {
      inner.nodes(parsed, parsed.root, { dot: values[1], vars: [{ name: '$', val: values[1] }] }, out);
    } catch (e) {
      if (e instanceof BreakSignal || e instanceof ContinueSignal) throw new Cannot('break or continue outside a range');
      // What the string's own actions miss is said at the action that calls tpl (the string has no file).
      if (e instanceof Cannot) {
        const c = cannotOf(e);
        c.at = undefined;
        throw c;
      }
      throw e;
    }
    return str(out.text, out.parts.filter((p) => !p.map.tpl));
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
      if (head.t !== 'field' || head.fields.length === 0) throw new Cannot(`${describe(head)} is not a function`);
      // A method with arguments: `.Files.Get "x"`, `.Capabilities.APIVersions.Has "apps/v1"`.
      const name = head.fields[head.fields.length - 1];
      const recv = this.operand(tpl, { ...head, fields: head.fields.slice(0, -1) }, scope);
      const m = methodOf(recv, name);
      if (!m) throw new Cannot(`${name} is not a method of ${kindName(recv)}`);
      const args = cmd.slice(1).map((a) => this.operand(tpl, a, scope));
      if (piped !== undefined) args.push(piped);
      for (const v of args) if (v.k === 'unknown') throw cannotOf(v);
      this.budget.spend(1);
      return m(args);
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
        // Go keeps no type for a nil that a pipeline or `$x := …` gave, and a field of it is nil again
        // (`((.Values.a).b).c` is nil when `a` is not set); a nil found at a key in the chain stops helm.
        if (cur.k === 'nil' && o.recv.t !== 'dot') return NIL;
        for (const f of o.fields) {
          if (cur.k === 'unknown') throw cannotOf(cur);
          const m = methodOf(cur, f);
          if (m) cur = m([]);
          else if (cur.k === 'map') cur = cur.v.get(f) ?? NIL;
          else if (cur.k === 'nil') throw new Cannot(`${label || '.'} is not set`);
          else throw new Cannot(`${label || '.'} is ${kindName(cur)}, not a map`);
          label = `${label}.${f}`;
        }
        if (cur.k === 'unknown') throw cannotOf(cur);
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
      if (values[0].k === 'unknown') throw cannotOf(values[0]);
      const r = this.include(text(values[0]), values[1]);
      return str(r.text, r.parts);
    }
    if (Object.hasOwn(UNKNOWN_BY_DESIGN, name)) throw unknowable(UNKNOWN_BY_DESIGN[name]);
    if (name === 'tpl') return this.tpl(values);
    const fn = Object.hasOwn(FUNCS, name) ? FUNCS[name] : undefined;
    if (!fn) throw unknowable(`${name} is not a function Port Parity knows (nor Go's templates, Sprig or Helm)`);
    for (const v of values) if (v.k === 'unknown') throw cannotOf(v);
    this.budget.spend(1);
    let out: Val;
    try {
      out = fn(values);
    } catch (e) {
      // `fail` and `required` stop helm itself: nothing renders past them.
      if (e instanceof Cannot && (name === 'fail' || name === 'required')) e.unknowable = true;
      throw e;
    }
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

