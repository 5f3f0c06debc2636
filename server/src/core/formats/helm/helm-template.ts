// Go templates (as Helm writes them) parsed into a tree: text keeps its source offsets, actions their pipelines.

/** A template text or action that the parser could not read. */
export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** An operand of a command. `start`/`end` are source offsets (for a literal written in the template). */
export type Operand =
  | { t: 'field'; recv: Receiver; fields: string[]; start: number; end: number }
  | { t: 'ident'; name: string; start: number; end: number }
  | { t: 'str'; v: string; start: number; end: number }
  | { t: 'num'; v: number; raw: string; start: number; end: number }
  | { t: 'bool'; v: boolean; start: number; end: number }
  | { t: 'nil'; start: number; end: number };

/** What a field chain starts from: the dot, a variable, or a parenthesised pipeline. */
export type Receiver = { t: 'dot' } | { t: 'var'; name: string } | { t: 'pipe'; pipe: Pipe };

export type Command = Operand[];

export interface Pipe {
  /** `$x := …` declares, `$x = …` assigns; `$i, $v := …` in a range. */
  decl?: { names: string[]; assign: boolean };
  cmds: Command[];
}

/** `[start, end)` of the whole `{{ … }}` in its file, and the action's text for messages. */
export interface ActionSpan {
  start: number;
  end: number;
  text: string;
}

export type TNode =
  | { t: 'text'; start: number; end: number }
  | { t: 'out'; pipe: Pipe; span: ActionSpan }
  | { t: 'if' | 'with'; cond: Pipe; body: TNode[]; otherwise?: TNode[]; span: ActionSpan; bodyEnd: number }
  | { t: 'range'; pipe: Pipe; body: TNode[]; otherwise?: TNode[]; span: ActionSpan; bodyEnd: number }
  | { t: 'template'; name: string; pipe?: Pipe; span: ActionSpan }
  | { t: 'break' | 'continue'; span: ActionSpan };

export interface ParsedTemplate {
  file: string;
  text: string;
  root: TNode[];
  /** `define` and `block` bodies by name. */
  defines: Map<string, TNode[]>;
}

interface RawAction {
  start: number;
  end: number;
  inner: string;
  innerStart: number;
  comment: boolean;
}

const SPACE = /[ \t\r\n]/;

/** Splits a template into text runs and actions, applying `{{-` and `-}}` trimming to the text. */
function scan(text: string): ({ t: 'text'; start: number; end: number } | ({ t: 'action' } & RawAction))[] {
  const out: ({ t: 'text'; start: number; end: number } | ({ t: 'action' } & RawAction))[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = text.indexOf('{{', pos);
    let textEnd = open < 0 ? text.length : open;
    let textStart = pos;
    if (trimNext) while (textStart < textEnd && SPACE.test(text[textStart])) textStart++;
    if (open < 0) {
      if (textStart < textEnd) out.push({ t: 'text', start: textStart, end: textEnd });
      return out;
    }
    const trimLeft = text[open + 2] === '-' && SPACE.test(text[open + 3] ?? '');
    if (trimLeft) while (textEnd > textStart && SPACE.test(text[textEnd - 1])) textEnd--;
    if (textStart < textEnd) out.push({ t: 'text', start: textStart, end: textEnd });
    let i = trimLeft ? open + 3 : open + 2;
    while (i < text.length && SPACE.test(text[i]) && trimLeft) i++;
    const innerStart = i;
    let close = -1;
    let comment = false;
    if (text.startsWith('/*', i)) {
      comment = true;
      const endComment = text.indexOf('*/', i + 2);
      if (endComment < 0) throw new TemplateSyntaxError('unclosed comment', open);
      let j = endComment + 2;
      while (j < text.length && SPACE.test(text[j])) j++;
      if (text[j] === '-' && text.startsWith('}}', j + 1)) j++;
      if (!text.startsWith('}}', j)) throw new TemplateSyntaxError('comment ends with */ and }}', open);
      close = j;
    } else {
      for (let j = i; j < text.length; j++) {
        const c = text[j];
        if (c === '"' || c === "'") {
          j++;
          while (j < text.length && text[j] !== c) {
            if (text[j] === '\\') j++;
            if (text[j] === '\n') throw new TemplateSyntaxError('unterminated quoted string', j);
            j++;
          }
          continue;
        }
        if (c === '`') {
          const k = text.indexOf('`', j + 1);
          if (k < 0) throw new TemplateSyntaxError('unterminated raw string', j);
          j = k;
          continue;
        }
        if (c === '}' && text[j + 1] === '}') {
          close = j;
          break;
        }
      }
    }
    if (close < 0) throw new TemplateSyntaxError('unclosed action', open);
    const trimRight = text[close - 1] === '-' && SPACE.test(text[close - 2] ?? '') && close - 1 >= innerStart;
    const innerEnd = trimRight ? close - 1 : close;
    out.push({ t: 'action', start: open, end: close + 2, inner: text.slice(innerStart, innerEnd), innerStart, comment });
    trimNext = trimRight;
    pos = close + 2;
  }
}

// ---- the action lexer ----

type Tok =
  | { k: 'field'; name: string; start: number; end: number; sp: boolean }
  | { k: 'dot'; start: number; end: number; sp: boolean }
  | { k: 'var'; name: string; start: number; end: number; sp: boolean }
  | { k: 'ident'; name: string; start: number; end: number; sp: boolean }
  | { k: 'str'; v: string; start: number; end: number; sp: boolean }
  | { k: 'num'; v: number; raw: string; start: number; end: number; sp: boolean }
  | { k: 'punct'; v: '(' | ')' | '|' | ':=' | '=' | ','; start: number; end: number; sp: boolean };

function unquote(raw: string, at: number): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  if (raw.startsWith("'")) {
    const inner = raw.slice(1, -1);
    return inner.startsWith('\\') ? unquote(`"${inner}"`, at) : inner;
  }
  try {
    return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as string;
  } catch {
    throw new TemplateSyntaxError(`cannot read the string ${raw}`, at);
  }
}

function lex(src: string, base: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let sp = true;
  while (i < src.length) {
    const c = src[i];
    if (SPACE.test(c)) {
      sp = true;
      i++;
      continue;
    }
    const start = i;
    const at = base + i;
    const push = (t: Tok): void => {
      toks.push(t);
      sp = false;
    };
    if (c === '(' || c === ')' || c === '|' || c === ',') {
      push({ k: 'punct', v: c, start: at, end: at + 1, sp });
      i++;
      continue;
    }
    if (c === ':' && src[i + 1] === '=') {
      push({ k: 'punct', v: ':=', start: at, end: at + 2, sp });
      i += 2;
      continue;
    }
    if (c === '=') {
      push({ k: 'punct', v: '=', start: at, end: at + 1, sp });
      i++;
      continue;
    }
    if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += c !== '`' && src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new TemplateSyntaxError('unterminated string', at);
      const raw = src.slice(i, j + 1);
      const v = unquote(raw, at);
      if (c === "'") push({ k: 'num', v: v.codePointAt(0) ?? 0, raw, start: at, end: base + j + 1, sp });
      else push({ k: 'str', v, start: at, end: base + j + 1, sp });
      i = j + 1;
      continue;
    }
    if (c === '.') {
      const m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      if (m) {
        push({ k: 'field', name: m[0].slice(1), start: at, end: at + m[0].length, sp });
        i += m[0].length;
      } else {
        push({ k: 'dot', start: at, end: at + 1, sp });
        i++;
      }
      continue;
    }
    if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      push({ k: 'var', name: m[0], start: at, end: at + m[0].length, sp });
      i += m[0].length;
      continue;
    }
    const hexFloat = /^[+-]?0[xX]([0-9a-fA-F_]*)\.?([0-9a-fA-F_]*)[pP]([+-]?\d+)/.exec(src.slice(i));
    if (hexFloat && (hexFloat[1] || hexFloat[2])) {
      // Go's hexadecimal floats: `0x1p30` is 2^30.
      const [raw, whole, frac, exp] = hexFloat;
      const mant = parseInt((whole + frac).replace(/_/g, '') || '0', 16) / 16 ** frac.replace(/_/g, '').length;
      push({ k: 'num', v: (raw.startsWith('-') ? -1 : 1) * mant * 2 ** Number(exp), raw, start: at, end: at + raw.length, sp });
      i += raw.length;
      continue;
    }
    const num = /^[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num && /[\d]/.test(num[0]) && (c !== '+' && c !== '-' ? true : /\d|\./.test(src[i + 1] ?? ''))) {
      const raw = num[0];
      const clean = raw.replace(/_/g, '');
      const v = /^[+-]?0[xXoObB]/.test(clean) ? (clean.startsWith('-') ? -1 : 1) * Number(clean.replace(/^[+-]/, '')) : Number(clean);
      if (Number.isNaN(v)) throw new TemplateSyntaxError(`bad number ${raw}`, at);
      push({ k: 'num', v, raw, start: at, end: at + raw.length, sp });
      i += raw.length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      push({ k: 'ident', name: id[0], start: at, end: at + id[0].length, sp });
      i += id[0].length;
      continue;
    }
    throw new TemplateSyntaxError(`unexpected "${c}"`, base + start);
  }
  return toks;
}

// ---- the pipeline parser ----

class PipeParser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly at: number) {}

  done(): boolean {
    return this.i >= this.toks.length;
  }

  peek(): Tok | undefined {
    return this.toks[this.i];
  }

  /** `[$a[, $b] :=|=] cmd | cmd …`, up to a `)` or the end. */
  pipe(allowTwo: boolean): Pipe {
    let decl: Pipe['decl'];
    const save = this.i;
    const names: string[] = [];
    while (this.peek()?.k === 'var') {
      names.push((this.toks[this.i] as { name: string }).name);
      this.i++;
      const p = this.peek();
      if (p?.k === 'punct' && p.v === ',' && allowTwo && names.length === 1) {
        this.i++;
        continue;
      }
      break;
    }
    const p = this.peek();
    if (names.length && p?.k === 'punct' && (p.v === ':=' || p.v === '=')) {
      this.i++;
      decl = { names, assign: p.v === '=' };
    } else this.i = save;
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.command());
      const n = this.peek();
      if (n?.k === 'punct' && n.v === '|') {
        this.i++;
        continue;
      }
      break;
    }
    return { decl, cmds };
  }

  private command(): Command {
    const ops: Operand[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || (t.k === 'punct' && (t.v === ')' || t.v === '|'))) break;
      if (t.k === 'punct' && t.v !== '(') throw new TemplateSyntaxError(`unexpected "${t.v}"`, t.start);
      ops.push(this.operand());
    }
    if (ops.length === 0) throw new TemplateSyntaxError('missing value for command', this.peek()?.start ?? this.at);
    return ops;
  }

  private operand(): Operand {
    const t = this.toks[this.i++];
    let recv: Receiver | undefined;
    let fields: string[] = [];
    let start = t.start;
    let end = t.end;
    switch (t.k) {
      case 'field':
        recv = { t: 'dot' };
        fields = [t.name];
        break;
      case 'dot':
        recv = { t: 'dot' };
        break;
      case 'var':
        recv = { t: 'var', name: t.name };
        break;
      case 'str':
        return { t: 'str', v: t.v, start, end };
      case 'num':
        return { t: 'num', v: t.v, raw: t.raw, start, end };
      case 'ident':
        if (t.name === 'true' || t.name === 'false') return { t: 'bool', v: t.name === 'true', start, end };
        if (t.name === 'nil') return { t: 'nil', start, end };
        return { t: 'ident', name: t.name, start, end };
      case 'punct': {
        // '(' pipeline ')'
        const inner = this.pipe(false);
        const c = this.toks[this.i++];
        if (!c || c.k !== 'punct' || c.v !== ')') throw new TemplateSyntaxError('unclosed left paren', t.start);
        recv = { t: 'pipe', pipe: inner };
        start = t.start;
        end = c.end;
        break;
      }
    }
    // Fields chained right after the term, without a space: `.a.b`, `$x.a`, `(…).a`.
    while (this.peek()?.k === 'field' && !(this.peek() as Tok).sp) {
      const f = this.toks[this.i++] as { name: string; end: number };
      fields.push(f.name);
      end = f.end;
    }
    return { t: 'field', recv, fields, start, end };
  }
}

function parsePipe(src: string, base: number, allowTwo = false): Pipe {
  const toks = lex(src, base);
  const p = new PipeParser(toks, base);
  const pipe = p.pipe(allowTwo);
  if (!p.done()) throw new TemplateSyntaxError(`unexpected "${src.slice((p.peek() as Tok).start - base).trim()}"`, (p.peek() as Tok).start);
  return pipe;
}

// ---- the tree ----

interface Frame {
  kind: 'root' | 'if' | 'with' | 'range' | 'define';
  node?: TNode;
  /** Where nodes go now: the current branch's body or the else body. */
  body: TNode[];
  name?: string;
  elseSeen?: boolean;
  /** Opened by `{{ else if }}`: the same `{{ end }}` closes it and its parent. */
  chained?: boolean;
  /** `{{ block }}` also renders where it stands. */
  block?: { span: ActionSpan; pipe?: Pipe; parent: TNode[] };
}

const KEYWORD = /^(if|else|end|range|with|define|template|block|break|continue)\b\s*/;

export function parseTemplate(file: string, text: string): ParsedTemplate {
  const root: TNode[] = [];
  const defines = new Map<string, TNode[]>();
  const stack: Frame[] = [{ kind: 'root', body: root }];
  const top = (): Frame => stack[stack.length - 1];
  for (const item of scan(text)) {
    if (item.t === 'text') {
      top().body.push(item);
      continue;
    }
    if (item.comment) continue;
    const span: ActionSpan = { start: item.start, end: item.end, text: `{{ ${item.inner.trim()} }}` };
    const inner = item.inner;
    const lead = inner.length - inner.trimStart().length;
    const src = inner.trimStart();
    const base = item.innerStart + lead;
    const kw = KEYWORD.exec(src);
    if (!kw) {
      if (src.trim() === '') throw new TemplateSyntaxError('missing value for command', item.start);
      top().body.push({ t: 'out', pipe: parsePipe(src, base), span });
      continue;
    }
    const word = kw[1];
    const rest = src.slice(kw[0].length);
    const restBase = base + kw[0].length;
    const f = top();
    switch (word) {
      case 'if':
      case 'with': {
        const node: TNode = { t: word, cond: parsePipe(rest, restBase), body: [], span, bodyEnd: item.end };
        f.body.push(node);
        stack.push({ kind: word, node, body: node.body });
        break;
      }
      case 'range': {
        const node: TNode = { t: 'range', pipe: parsePipe(rest, restBase, true), body: [], span, bodyEnd: item.end };
        f.body.push(node);
        stack.push({ kind: 'range', node, body: node.body });
        break;
      }
      case 'else': {
        if ((f.kind !== 'if' && f.kind !== 'with' && f.kind !== 'range') || f.elseSeen) throw new TemplateSyntaxError('unexpected {{else}}', item.start);
        const node = f.node as Extract<TNode, { t: 'if' | 'with' | 'range' }>;
        const otherwise: TNode[] = [];
        node.otherwise = otherwise;
        f.body = otherwise;
        f.elseSeen = true;
        // `{{ else if x }}` is `{{ else }}{{ if x }}` whose `{{ end }}` closes both, as Go reads it.
        const chained = /^(if|with)\b\s*/.exec(rest);
        if (chained) {
          const kind = chained[1] as 'if' | 'with';
          const nested: TNode = { t: kind, cond: parsePipe(rest.slice(chained[0].length), restBase + chained[0].length), body: [], span, bodyEnd: item.end };
          otherwise.push(nested);
          stack.push({ kind, node: nested, body: nested.body, chained: true });
        } else if (rest.trim() !== '') throw new TemplateSyntaxError(`unexpected "${rest.trim()}" in else`, item.start);
        break;
      }
      case 'end': {
        if (rest.trim() !== '') throw new TemplateSyntaxError(`unexpected "${rest.trim()}" in end`, item.start);
        for (;;) {
          if (stack.length === 1) throw new TemplateSyntaxError('unexpected {{end}}', item.start);
          const done = stack.pop() as Frame;
          if (done.node && done.node.t !== 'out' && done.node.t !== 'text' && 'bodyEnd' in done.node) done.node.bodyEnd = item.end;
          if (done.kind === 'define') {
            defines.set(done.name as string, done.body);
            if (done.block) done.block.parent.push({ t: 'template', name: done.name as string, pipe: done.block.pipe, span: done.block.span });
          }
          if (!done.chained) break;
        }
        break;
      }
      case 'define':
      case 'block': {
        const m = /^("(?:[^"\\]|\\.)*"|`[^`]*`)\s*/.exec(rest);
        if (!m) throw new TemplateSyntaxError(`${word} needs a quoted name`, item.start);
        const name = unquote(m[1], restBase);
        const after = rest.slice(m[0].length);
        if (word === 'define' && after.trim() !== '') throw new TemplateSyntaxError('unexpected text after define name', item.start);
        const frame: Frame = { kind: 'define', body: [], name };
        if (word === 'block') frame.block = { span, pipe: after.trim() ? parsePipe(after, restBase + m[0].length) : undefined, parent: f.body };
        stack.push(frame);
        break;
      }
      case 'template': {
        const m = /^("(?:[^"\\]|\\.)*"|`[^`]*`)\s*/.exec(rest);
        if (!m) throw new TemplateSyntaxError('template needs a quoted name', item.start);
        const after = rest.slice(m[0].length);
        f.body.push({ t: 'template', name: unquote(m[1], restBase), pipe: after.trim() ? parsePipe(after, restBase + m[0].length) : undefined, span });
        break;
      }
      case 'break':
      case 'continue':
        f.body.push({ t: word, span });
        break;
    }
  }
  if (stack.length > 1) throw new TemplateSyntaxError(`unclosed {{${top().kind}}}`, text.length);
  return { file, text, root, defines };
}
