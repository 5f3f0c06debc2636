// A release's values layers as GitOps files write them: a values file, values written inline in the declaring file, and `--set` parameters, each located where it is written.
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { LineIndex } from '../../text';
import type { Problem, SourceFile } from '../../types';
import { scalarText } from '../../yaml';
import { NIL, readValues } from '../helm/helm-values';
import type { Mapping, Val } from '../helm/helm-values';

/**
 * One layer of a release's values, in the order Helm merges them. A file layer is a values file of the
 * workspace, or the declaring file's text with everything but the inline values blanked (so the values
 * parse alone and keep their offsets, lines and columns in the declaring file: a finding and a fix land
 * on the token written there). A `val` layer is built already (`--set` parameters).
 */
export type ValuesLayer = SourceFile | { path: string; val: Val };

export function isFileLayer(l: ValuesLayer): l is SourceFile {
  return !('val' in l);
}

/** The values a layer gives, its YAML errors added to `problems`. */
export function layerValues(l: ValuesLayer, problems: Problem[]): Val {
  return isFileLayer(l) ? readValues(l, problems) : l.val;
}

/** The text of `file` with only `[start, end)` kept (every other character but line breaks a space). */
export function inlineLayer(file: SourceFile, start: number, end: number): SourceFile {
  const t = file.text;
  const blank = (s: string): string => s.replace(/[^\r\n]/g, ' ');
  return { path: file.path, text: blank(t.slice(0, start)) + t.slice(start, end) + blank(t.slice(end)) };
}

/**
 * Where a block scalar's content starts (the line after its `|` header): the content of `values: |` is a
 * YAML document indented as a whole, which parses as it is once the rest is blanked.
 */
export function blockContent(text: string, node: Node): [number, number] | undefined {
  if (!isScalar(node) || node.type !== 'BLOCK_LITERAL' || !node.range) return undefined;
  const nl = text.indexOf('\n', node.range[0]);
  if (nl < 0 || nl >= node.range[1]) return [node.range[1], node.range[1]];
  return [nl + 1, node.range[1]];
}

/** One `--set name=value` (an Argo CD parameter, a helmfile `set:` entry): the value node where it is written. */
export interface SetParam {
  name: string;
  value: Node | undefined;
  forceString: boolean;
}

/** `--set` parameters as one layer, with Helm's typing (`true`, `null`, integers) unless forced to a string; each value keeps its place. */
export function setLayer(ix: LineIndex, params: SetParam[], problems: Problem[]): Val {
  let out: Val = { k: 'map', v: new Map() };
  for (const p of params) {
    const keys = setPath(p.name);
    if (!keys) {
      problems.push({ message: `parameter ${p.name} is not a path helm --set reads: not applied`, loc: ix.loc(p.value?.range?.[0] ?? 0, p.value?.range?.[0] ?? 0) });
      continue;
    }
    let v = setValue(ix, p);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      if (typeof k === 'number') {
        const list: Val[] = Array.from({ length: k + 1 }, () => NIL);
        list[k] = v;
        v = { k: 'list', v: list };
      } else v = { k: 'map', v: new Map([[k, v]]) };
    }
    out = mergeSet(out, v);
  }
  return out;
}

/** Helm's set merge: maps key by key, a list index into the list (the rest kept). */
function mergeSet(base: Val, over: Val): Val {
  if (base.k === 'list' && over.k === 'list') {
    const list = [...base.v];
    over.v.forEach((x, i) => {
      if (x.k !== 'nil') list[i] = list[i] ? mergeSet(list[i], x) : x;
    });
    return { k: 'list', v: list };
  }
  if (base.k !== 'map' || over.k !== 'map') return over;
  const out = new Map(base.v);
  for (const [k, v] of over.v) out.set(k, out.has(k) ? mergeSet(out.get(k) as Val, v) : v);
  return { k: 'map', v: out };
}

/** `a.b[0].c` into keys and indexes; `\.` escapes a dot. Undefined for a path helm refuses. */
function setPath(name: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '\\' && i + 1 < name.length) cur += name[++i];
    else if (c === '.') {
      if (cur) out.push(cur);
      cur = '';
    } else if (c === '[') {
      const close = name.indexOf(']', i);
      const n = close > i ? Number(name.slice(i + 1, close)) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > 65536) return undefined;
      if (cur) out.push(cur);
      cur = '';
      out.push(n);
      i = close;
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out.length && typeof out[0] === 'string' ? out : undefined;
}

/** A parameter's value as helm --set types it, mapped to its scalar. */
function setValue(ix: LineIndex, p: SetParam): Val {
  if (!p.value || !isScalar(p.value)) return { k: 'str', v: '' };
  const st = scalarText(ix, p.value);
  const s = st.value;
  const map: Mapping = st.at ? { kind: 'linear', file: ix.file, at: st.at(0), tpl: false } : { kind: 'whole', loc: st.loc, tpl: false };
  if (!p.forceString) {
    if (/^true$/i.test(s) || /^false$/i.test(s)) return { k: 'bool', v: /^true$/i.test(s), map };
    if (s === 'null') return NIL;
    // strvals: an integer that does not start with 0 is an int64.
    if (/^-?[1-9]\d{0,17}$|^0$/.test(s)) return { k: 'num', v: Number(s), map, int: 'int64' };
  }
  return s === '' ? { k: 'str', v: s } : { k: 'str', v: s, parts: [{ from: 0, to: s.length, map }] };
}

/** A value (a ConfigMap entry read as a whole, `valuesFrom.targetPath`) set at a dotted path, as one layer. */
export function atPath(keys: string, v: Val): Val | undefined {
  const path = setPath(keys);
  if (!path) return undefined;
  let out = v;
  for (let i = path.length - 1; i >= 0; i--) {
    const k = path[i];
    out = typeof k === 'number' ? { k: 'list', v: [...Array.from({ length: k }, () => NIL), out] } : { k: 'map', v: new Map([[k, out]]) };
  }
  return out;
}
