// YAML access with exact ranges: every location in a YAML fact comes from the parser's offsets here.
import { Composer, isAlias, isDocument, isMap, isPair, isScalar, isSeq, Lexer, Parser, Scalar } from 'yaml';
import type { Document, Node, YAMLMap, YAMLSeq } from 'yaml';
import type { CST } from 'yaml';
import { LIMITS } from './limits';
import type { LineIndex } from './text';
import type { Loc, PortValue, Problem } from './types';

export type YamlDoc = Document.Parsed;

export interface ParsedYaml {
  docs: YamlDoc[];
  /** Syntax errors with their offsets. */
  errors: { message: string; offset: number }[];
  /** What was not read, and why: nesting past LIMITS.yamlDepth, aliases past LIMITS.aliasNodes or that contain themselves. */
  notes: { message: string; offset: number }[];
}

/**
 * Parses every document; aliases come back expanded (an alias node is replaced by the node it names,
 * shared), so no reader expands one again. Nesting past the depth limit is cut at the parse (the YAML
 * composer recurses) and aliases past the node budget stay unexpanded (null): each with a note.
 */
export function parseYaml(text: string): ParsedYaml {
  const notes: ParsedYaml['notes'] = [];
  const { tokens, cut } = lexBounded(text, LIMITS.yamlTokens);
  if (cut !== undefined) notes.push({ message: `only the first ${LIMITS.yamlTokens} YAML tokens of this file are read: what follows is not checked`, offset: cut });
  let documents = 0;
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    if (++documents === LIMITS.yamlDocuments + 1) notes.push({ message: `only the first ${LIMITS.yamlDocuments} YAML documents of this file are read: this one and the ones after it are not checked`, offset: t.offset });
    cutDeep(t, notes);
  }
  const docs = Array.from(new Composer({ keepSourceTokens: false, uniqueKeys: false, prettyErrors: false }).compose(tokens)).slice(0, LIMITS.yamlDocuments) as YamlDoc[];
  const errors: { message: string; offset: number }[] = [];
  // A file cut short ends in the middle of something: that is the note's, not a syntax error.
  for (const d of docs) for (const e of d.errors) if (cut === undefined || (e.pos[0] < cut && !/must (be sufficiently indented and )?end with/.test(e.message))) errors.push({ message: e.message.split('\n')[0], offset: e.pos[0] });
  const budget = { left: LIMITS.aliasNodes, noted: 0, more: 0, last: 0 };
  for (const d of docs) expandAliases(d, budget, notes);
  if (budget.more) notes.push({ message: `${budget.more} more aliases of this file are not read either`, offset: budget.last });
  return { docs, errors, notes };
}

/**
 * The concrete syntax tree of the first `max` lexer tokens, ended at the next line break after them (or
 * a tenth later, for a file of one long line); `cut`: the offset where reading stopped, if it did.
 */
function lexBounded(text: string, max: number): { tokens: CST.Token[]; cut?: number } {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let n = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++n > max && (lexeme === '\n' || lexeme === '\r\n' || n > max * 1.1)) {
      const cut = parser.offset;
      for (const t of parser.end()) tokens.push(t);
      return { tokens, cut };
    }
    for (const t of parser.next(lexeme)) tokens.push(t);
  }
  for (const t of parser.end()) tokens.push(t);
  return { tokens };
}

/**
 * Empties the collections at LIMITS.yamlDepth levels (their content is deeper) and shortens those of
 * more than LIMITS.yamlItems entries, iteratively; a note names the first place of each.
 */
function cutDeep(doc: CST.Document, notes: ParsedYaml['notes']): void {
  const max = LIMITS.yamlDepth;
  const todo: { t: CST.Token | null | undefined; depth: number }[] = [{ t: doc.value, depth: 0 }];
  const deep = { n: 0, at: -1 };
  const long = { n: 0, at: -1 };
  const first = (c: { n: number; at: number }, at: number): void => {
    c.n++;
    if (c.at < 0 || at < c.at) c.at = at;
  };
  while (todo.length) {
    const { t, depth } = todo.pop() as { t: CST.Token | null | undefined; depth: number };
    if (!t || (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection')) continue;
    if (depth >= max) {
      if (t.items.length) first(deep, t.offset);
      t.items = [];
      continue;
    }
    if (t.items.length > LIMITS.yamlItems) {
      const it = t.items[LIMITS.yamlItems] as CST.CollectionItem;
      first(long, (it.key ?? it.value ?? it.start[0])?.offset ?? t.offset);
      t.items.length = LIMITS.yamlItems;
    }
    for (const it of t.items as CST.CollectionItem[]) todo.push({ t: it.key, depth: depth + 1 }, { t: it.value, depth: depth + 1 });
  }
  const places = (n: number): string => (n > 1 ? ` (${n} places)` : '');
  if (deep.n) notes.push({ message: `YAML nested deeper than ${max} levels: what lies deeper is not read${places(deep.n)}`, offset: deep.at });
  if (long.n) notes.push({ message: `only the first ${LIMITS.yamlItems} entries of a YAML list or map are read: this one and the ones after it are not checked${places(long.n)}`, offset: long.at });
}

/**
 * Replaces each alias by the node its anchor names, in one walk in document order (an alias names
 * the last anchor before it). Aliases are counted as expanded: one that would pass the file's budget,
 * nest past the depth limit or contain itself becomes null, with a note at it.
 */
function expandAliases(doc: YamlDoc, budget: { left: number; noted: number; more: number; last: number }, notes: ParsedYaml['notes']): void {
  const anchors = new Map<string, Node>();
  const size = new Map<Node, { n: number; depth: number }>();
  const open = new Set<unknown>();
  const refuse = (a: Node, why: string): Node => {
    // Ten notes, then a count: a file of a million bad aliases must not make a million notes.
    if (budget.noted < 10 && (why !== 'budget' || budget.left >= 0)) notes.push({ message: `alias *${(a as { source?: string }).source ?? ''} ${why === 'budget' ? `would expand the file past ${LIMITS.aliasNodes} YAML nodes` : why}: it is not read`, offset: a.range?.[0] ?? 0 });
    else {
      budget.more++;
      budget.last = a.range?.[0] ?? 0;
    }
    budget.noted++;
    // Past the budget, one note says so; the later aliases are only counted.
    if (why === 'budget') budget.left = -1;
    const empty = new Scalar(null);
    empty.range = a.range;
    return empty as unknown as Node;
  };
  // Returns the node to keep in the slot (the alias's target, or null), with its expanded size and depth.
  const walk = (node: unknown, depth: number): { keep: unknown; n: number; depth: number } => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return { keep: refuse(node as unknown as Node, 'names no anchor before it'), n: 1, depth: 1 };
      if (open.has(target)) return { keep: refuse(node as unknown as Node, 'contains itself'), n: 1, depth: 1 };
      const s = size.get(target) ?? { n: 1, depth: 1 };
      if (depth + s.depth > LIMITS.yamlDepth) return { keep: refuse(node as unknown as Node, `would nest past ${LIMITS.yamlDepth} levels`), n: 1, depth: 1 };
      if (s.n > budget.left || budget.left < 0) return { keep: refuse(node as unknown as Node, 'budget'), n: 1, depth: 1 };
      budget.left -= s.n;
      return { keep: target, n: s.n, depth: s.depth };
    }
    if (node === null || typeof node !== 'object') return { keep: node, n: 0, depth: 0 };
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    let n = 1;
    let deepest = 0;
    if (isMap(node) || isSeq(node)) {
      open.add(node);
      const list = (node as YAMLMap | YAMLSeq).items as unknown[];
      for (let i = 0; i < list.length; i++) {
        const it = list[i];
        for (const side of isPair(it) ? (['key', 'value'] as const) : [undefined]) {
          const r = walk(side ? (it as Record<string, unknown>)[side] : it, depth + 1);
          if (side) (it as Record<string, unknown>)[side] = r.keep;
          else list[i] = r.keep;
          n += r.n;
          deepest = Math.max(deepest, r.depth);
        }
      }
      open.delete(node);
    }
    const s = { n, depth: deepest + 1 };
    if (anchor) size.set(node as Node, s);
    return { keep: node, ...s };
  };
  if (isDocument(doc)) doc.contents = walk(doc.contents, 0).keep as YamlDoc['contents'];
}

/** The value of `key` in a map node, or undefined. */
export function get(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const it of node.items) {
    // Keys are strings nearly always: compared as they are before String() of a number or a boolean key.
    const k = (it as { key?: unknown }).key as Scalar | undefined;
    if (k !== null && typeof k === 'object' && (k.value === key || (typeof k.value !== 'string' && isScalar(k) && String(k.value) === key)) && isPair(it) && isScalar(k)) return (it.value ?? undefined) as Node | undefined;
  }
  return undefined;
}

/** The key node of `key` in a map node. */
export function getKey(node: unknown, key: string): Scalar | undefined {
  if (!isMap(node)) return undefined;
  for (const it of node.items) if (isPair(it) && isScalar(it.key) && String(it.key.value) === key) return it.key;
  return undefined;
}

export function path(node: unknown, ...keys: string[]): Node | undefined {
  let cur: unknown = node;
  for (const k of keys) {
    cur = get(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur as Node;
}

export function str(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null && node.value !== undefined && typeof node.value !== 'object') return String(node.value);
  return undefined;
}

export function items(node: unknown): Node[] {
  return isSeq(node) ? (node as YAMLSeq<Node>).items.filter((x) => x !== null && x !== undefined) : [];
}

export function pairs(node: unknown): { key: Scalar; value: Node | undefined }[] {
  if (!isMap(node)) return [];
  const out: { key: Scalar; value: Node | undefined }[] = [];
  for (const it of (node as YAMLMap).items) if (isPair(it) && isScalar(it.key)) out.push({ key: it.key, value: (it.value ?? undefined) as Node | undefined });
  return out;
}

export function stringMap(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs(node)) {
    const v = str(p.value);
    if (v !== undefined) out[String(p.key.value)] = v;
  }
  return out;
}

export function nodeLoc(ix: LineIndex, node: Node | Scalar): Loc {
  const r = node.range ?? [0, 0, 0];
  return ix.of(node).loc(r[0], r[1]);
}

/**
 * The text of a scalar and, where the source spells it char for char, the source offset of each
 * character (plain, quoted without escapes, literal blocks). `at` is undefined otherwise.
 */
export interface ScalarText {
  value: string;
  at?: (i: number) => number;
  loc: Loc;
}

export function scalarText(index: LineIndex, node: Scalar): ScalarText {
  const ix = index.of(node);
  const value = node.value === null || node.value === undefined ? '' : String(node.value);
  const r = node.range ?? [0, 0, 0];
  const src = ix.text.slice(r[0], r[1]);
  const loc = ix.loc(r[0], r[1]);
  if (!ix.exact) return { value, loc };
  const type = node.type;
  if (type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE) {
    const inner = src.slice(1, -1);
    if (inner === value) return { value, at: (i) => r[0] + 1 + i, loc: ix.loc(r[0] + 1, r[1] - 1) };
    return { value, loc };
  }
  if (type === Scalar.BLOCK_LITERAL) {
    // Map each value line onto its source line, in order.
    const lines = value.split('\n');
    const starts: number[] = [];
    let from = src.indexOf('\n') + 1;
    for (const line of lines) {
      if (line === '') {
        starts.push(-1);
        continue;
      }
      const k = src.indexOf(line, from);
      if (k < 0) return { value, loc };
      starts.push(r[0] + k);
      from = k + line.length;
    }
    const lineOf: number[] = [];
    const colOf: number[] = [];
    lines.forEach((l, li) => {
      for (let c = 0; c <= l.length; c++) {
        lineOf.push(li);
        colOf.push(c);
      }
    });
    return { value, at: (i) => (starts[lineOf[i]] ?? r[0]) + colOf[i], loc };
  }
  if (type === Scalar.PLAIN || type === undefined) {
    if (src === value) return { value, at: (i) => r[0] + i, loc };
  }
  return { value, loc };
}

export function scalarLoc(ix: LineIndex, node: Scalar): Loc {
  return scalarText(ix, node).loc;
}

/** Why a port name is not a valid IANA service name, or undefined when it is. */
export function badPortName(name: string): string | undefined {
  if (name.length > 15) return `port name "${name}" is longer than 15 characters`;
  if (!/^[a-z0-9-]+$/.test(name)) return `port name "${name}" may contain only lowercase letters, digits and '-'`;
  if (!/[a-z]/.test(name)) return `port name "${name}" must contain at least one letter`;
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--')) return `port name "${name}" must not start or end with '-' or contain '--'`;
  return undefined;
}

/** Why a Service port name is not a DNS label (RFC 1123, as the API validates it), or undefined when it is. Digits only are allowed. */
export function badServicePortName(name: string): string | undefined {
  if (name.length > 63) return `Service port name "${name}" is longer than 63 characters (a DNS label)`;
  if (!/^[a-z0-9-]+$/.test(name)) return `Service port name "${name}" may contain only lowercase letters, digits and '-' (a DNS label)`;
  if (name.startsWith('-') || name.endsWith('-')) return `Service port name "${name}" must start and end with a letter or digit (a DNS label)`;
  return undefined;
}

export function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/**
 * Reads a port field. `allowName`: the field takes a number or a name (targetPort, probe port).
 * Returns the value, or a problem for an empty, non-integer, out-of-range or badly named value.
 */
export function readPort(ix: LineIndex, node: Node | undefined, field: string, allowName: boolean, keyLoc: Loc): PortValue | Problem {
  if (node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) {
    return { message: `${field} is missing or empty`, loc: node && isScalar(node) && node.range ? nodeLoc(ix, node) : keyLoc };
  }
  if (!isScalar(node)) return { message: `${field} must be a ${allowName ? 'number or a port name' : 'number'}`, loc: nodeLoc(ix, node) };
  const st = scalarText(ix, node);
  const raw = st.value;
  const exact = st.at !== undefined;
  if (typeof node.value === 'number') {
    if (!validPort(node.value)) return { message: `${field} ${raw} is not a port number (1-65535)`, loc: st.loc };
    return { port: node.value, raw, loc: st.loc, literal: exact && /^\d+$/.test(raw) };
  }
  if (allowName) {
    if (/^\d+$/.test(raw)) return { message: `${field} "${raw}" is a quoted number: Kubernetes reads it as a port name; write ${raw} without quotes`, loc: st.loc };
    const why = badPortName(raw);
    if (why) return { message: `${field}: ${why}`, loc: st.loc };
    return { name: raw, raw, loc: st.loc, literal: false };
  }
  return { message: `${field} "${raw}" is not a port number (1-65535)`, loc: st.loc };
}

/** `readPort` of `holder.key`; a missing value is reported at the key, or at the holder when the key is absent too. */
export function readPortField(ix: LineIndex, holder: Node, key: string, field: string, allowName: boolean): PortValue | Problem {
  const k = getKey(holder, key);
  return readPort(ix, get(holder, key), field, allowName, k ? nodeLoc(ix, k) : nodeLoc(ix, holder));
}

export function isProblem(x: PortValue | Problem): x is Problem {
  return (x as Problem).message !== undefined && (x as PortValue).raw === undefined;
}

export { isMap, isScalar, isSeq };
export type { Node, Scalar };
