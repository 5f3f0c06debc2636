// Sprig's lists and dicts and Go's index/slice/len: dicts are shared and changed in place (`$_ := set $d "k" v`), as in Go.
import { Cannot, charge, empty, kindName, METHODS, mutations, need, num, text, truth } from './helm-print';
import { NIL, str } from './helm-values';
import type { Val } from './helm-values';
import type { Fn } from './helm-funcs-text';

type MapVal = Extract<Val, { k: 'map' }>;
type ListVal = Extract<Val, { k: 'list' }>;

const B = (v: boolean): Val => ({ k: 'bool', v });
const L = (v: Val[]): Val => ({ k: 'list', v });

function listOf(v: Val, fn: string): Val[] {
  if (v.k === 'list') return v.v;
  if (v.k === 'nil') return [];
  throw new Cannot(`${fn} needs a list, not ${kindName(v)}`);
}

function dictOf(v: Val, fn: string): MapVal {
  if (v.k === 'map') return v;
  throw new Cannot(`${fn} needs a dict, not ${kindName(v)}`);
}

/** A copy of maps and lists all the way down; scalars (never changed in place) are shared. */
export function deepCopy(v: Val): Val {
  charge(1);
  // Helm's objects (`.Files`, `.Capabilities.APIVersions`) keep their methods: they are shared, not copied.
  if (METHODS.has(v)) return v;
  if (v.k === 'map') return { k: 'map', v: new Map([...v.v].map(([k, x]) => [k, deepCopy(x)])) };
  if (v.k === 'list') return L(v.v.map(deepCopy));
  return v;
}

/** reflect.DeepEqual over template values. */
export function deepEqual(a: Val, b: Val): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'list' && b.k === 'list') return a.v.length === b.v.length && a.v.every((x, i) => deepEqual(x, b.v[i]));
  if (a.k === 'map' && b.k === 'map') return a.v.size === b.v.size && [...a.v].every(([k, x]) => b.v.has(k) && deepEqual(x, b.v.get(k) as Val));
  if (a.k === 'nil' || b.k === 'nil') return true;
  if (a.k === 'unknown' || b.k === 'unknown') throw new Cannot(a.k === 'unknown' ? a.why : (b as { why: string }).why);
  return (a as { v: unknown }).v === (b as { v: unknown }).v;
}

/**
 * mergo's deep merge, as Sprig's merge (dst keeps what it has; only missing or nil keys are filled) and
 * mergeOverwrite (src wins, but a nil src never erases). `dst` is changed in place.
 */
export function mergeInto(dst: MapVal, src: Val, overwrite: boolean): void {
  if (src.k !== 'map') return;
  charge(1);
  mutations.n++;
  for (const [k, s] of src.v) {
    const d = dst.v.get(k);
    if (d && d.k === 'map' && s.k === 'map') mergeInto(d, s, overwrite);
    else if (d === undefined || d.k === 'nil') dst.v.set(k, s);
    else if (overwrite && s.k !== 'nil') dst.v.set(k, s);
  }
}

function indexOne(cur: Val, k: Val): Val {
  if (cur.k === 'map') return cur.v.get(text(k)) ?? NIL;
  if (cur.k === 'nil') return NIL;
  const n = num(k);
  if ((cur.k === 'list' || cur.k === 'str') && Number.isInteger(n) && n >= 0 && n < cur.v.length) return cur.k === 'list' ? cur.v[n] : { k: 'num', v: cur.v.charCodeAt(n) };
  throw new Cannot(`index of ${text(k)} out of range or not possible in ${kindName(cur)}`);
}

/** Go's slice builtin and Sprig's: `slice x 1 3` of a list or a string. */
function sliceOf(a: Val[]): Val {
  need(a, 1, 'slice');
  const x = a[0];
  const len = x.k === 'list' || x.k === 'str' ? x.v.length : x.k === 'nil' ? 0 : -1;
  if (len < 0) throw new Cannot(`cannot slice ${kindName(x)}`);
  const from = a.length > 1 ? num(a[1]) : 0;
  const to = a.length > 2 ? num(a[2]) : len;
  if (from < 0 || to > len || from > to) throw new Cannot(`slice [${from}:${to}] out of range of ${len}`);
  if (x.k === 'list') return L(x.v.slice(from, to));
  return x.k === 'str' ? str(x.v.slice(from, to)) : L([]);
}

/** `dig "a" "b" default dict`: the value at the path, or the default where the path leads nowhere. */
function dig(a: Val[]): Val {
  need(a, 3, 'dig');
  let cur: Val = dictOf(a[a.length - 1], 'dig');
  for (const k of a.slice(0, -2)) {
    if (cur.k !== 'map' || !cur.v.has(text(k))) return a[a.length - 2];
    cur = cur.v.get(text(k)) as Val;
  }
  return cur;
}

function uniq(l: Val[]): Val[] {
  const out: Val[] = [];
  for (const x of l) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

export const DATA_FUNCS: Record<string, Fn> = {
  // ---- Go's builtins
  len: (a) => {
    const v = a[0] ?? NIL;
    if (v.k === 'str' || v.k === 'list') return { k: 'num', v: v.v.length };
    if (v.k === 'map') return { k: 'num', v: v.v.size };
    if (v.k === 'nil') return { k: 'num', v: 0 };
    throw new Cannot(`len of ${kindName(v)}`);
  },
  index: (a) => {
    need(a, 1, 'index');
    return a.slice(1).reduce(indexOne, a[0]);
  },
  slice: sliceOf,
  // ---- defaults
  default: (a) => {
    need(a, 1, 'default');
    return a.length < 2 || empty(a[1]) ? a[0] : a[1];
  },
  empty: (a) => B(empty(a[0] ?? NIL)),
  coalesce: (a) => a.find((x) => !empty(x)) ?? NIL,
  all: (a) => B(a.every((x) => !empty(x))),
  any: (a) => B(a.some((x) => !empty(x))),
  ternary: (a) => {
    need(a, 3, 'ternary');
    return truth(a[2]) ? a[0] : a[1];
  },
  deepEqual: (a) => {
    need(a, 2, 'deepEqual');
    return B(deepEqual(a[0], a[1]));
  },
  // ---- lists
  list: (a) => L([...a]),
  tuple: (a) => L([...a]),
  append: (a) => {
    need(a, 2, 'append');
    return L([...listOf(a[0], 'append'), a[1]]);
  },
  prepend: (a) => {
    need(a, 2, 'prepend');
    return L([a[1], ...listOf(a[0], 'prepend')]);
  },
  concat: (a) => L(a.flatMap((x) => listOf(x, 'concat'))),
  first: (a) => listOf(a[0] ?? NIL, 'first')[0] ?? NIL,
  last: (a) => {
    const l = listOf(a[0] ?? NIL, 'last');
    return l[l.length - 1] ?? NIL;
  },
  rest: (a) => L(listOf(a[0] ?? NIL, 'rest').slice(1)),
  initial: (a) => L(listOf(a[0] ?? NIL, 'initial').slice(0, -1)),
  reverse: (a) => L([...listOf(a[0] ?? NIL, 'reverse')].reverse()),
  uniq: (a) => L(uniq(listOf(a[0] ?? NIL, 'uniq'))),
  compact: (a) => L(listOf(a[0] ?? NIL, 'compact').filter((x) => !empty(x))),
  without: (a) => {
    need(a, 1, 'without');
    return L(listOf(a[0], 'without').filter((x) => !a.slice(1).some((y) => deepEqual(x, y))));
  },
  has: (a) => {
    need(a, 2, 'has');
    return B(listOf(a[1], 'has').some((x) => deepEqual(x, a[0])));
  },
  chunk: (a) => {
    need(a, 2, 'chunk');
    const n = Math.max(1, num(a[0]));
    const l = listOf(a[1], 'chunk');
    const out: Val[] = [];
    for (let i = 0; i < l.length; i += n) out.push(L(l.slice(i, i + n)));
    return L(out);
  },
  // ---- dicts
  dict: (a) => {
    const m = new Map<string, Val>();
    for (let i = 0; i < a.length; i += 2) m.set(text(a[i]), a[i + 1] ?? str(''));
    return { k: 'map', v: m };
  },
  get: (a) => {
    need(a, 2, 'get');
    return a[0].k === 'map' ? (a[0].v.get(text(a[1])) ?? str('')) : str('');
  },
  set: (a) => {
    need(a, 3, 'set');
    const d = dictOf(a[0], 'set');
    mutations.n++;
    d.v.set(text(a[1]), a[2]);
    return d;
  },
  unset: (a) => {
    need(a, 2, 'unset');
    const d = dictOf(a[0], 'unset');
    mutations.n++;
    d.v.delete(text(a[1]));
    return d;
  },
  hasKey: (a) => {
    need(a, 2, 'hasKey');
    return B(a[0].k === 'map' && a[0].v.has(text(a[1])));
  },
  pluck: (a) => {
    need(a, 1, 'pluck');
    const k = text(a[0]);
    return L(a.slice(1).flatMap((d) => (d.k === 'map' && d.v.has(k) ? [d.v.get(k) as Val] : [])));
  },
  dig,
  keys: (a) => L([...new Set(a.flatMap((d) => [...dictOf(d, 'keys').v.keys()]))].sort().map((k) => str(k))),
  values: (a) => {
    const d = dictOf(a[0] ?? NIL, 'values');
    return L([...d.v.keys()].sort().map((k) => d.v.get(k) as Val));
  },
  pick: (a) => {
    need(a, 1, 'pick');
    const d = dictOf(a[0], 'pick');
    const want = new Set(a.slice(1).map(text));
    return { k: 'map', v: new Map([...d.v].filter(([k]) => want.has(k))) };
  },
  omit: (a) => {
    need(a, 1, 'omit');
    const d = dictOf(a[0], 'omit');
    const drop = new Set(a.slice(1).map(text));
    return { k: 'map', v: new Map([...d.v].filter(([k]) => !drop.has(k))) };
  },
  merge: (a) => {
    need(a, 1, 'merge');
    const d = dictOf(a[0], 'merge');
    for (const s of a.slice(1)) mergeInto(d, s, false);
    return d;
  },
  mergeOverwrite: (a) => {
    need(a, 1, 'mergeOverwrite');
    const d = dictOf(a[0], 'mergeOverwrite');
    for (const s of a.slice(1)) mergeInto(d, s, true);
    return d;
  },
  deepCopy: (a) => deepCopy(a[0] ?? NIL),
};

// Sprig's `must…` variants stop where the plain ones would return an empty value: here both stop the same way.
for (const name of ['append', 'prepend', 'first', 'last', 'rest', 'initial', 'reverse', 'uniq', 'compact', 'without', 'has', 'chunk', 'slice', 'merge', 'mergeOverwrite', 'deepCopy']) {
  DATA_FUNCS[`must${name[0].toUpperCase()}${name.slice(1)}`] = DATA_FUNCS[name];
}
DATA_FUNCS.push = DATA_FUNCS.append;
DATA_FUNCS.mustPush = DATA_FUNCS.append;

export type { ListVal, MapVal };
