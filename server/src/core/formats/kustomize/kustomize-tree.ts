// Kustomize's edits on YAML trees, knowing no Kubernetes field: strategic merge by a table of list merge keys, JSON 6902 operations and field paths, every node kept with the source that wrote it.
import { isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { get, str } from '../../yaml';

/**
 * Lists a strategic merge patch merges item by item, by the key Kubernetes declares for them
 * (`patchMergeKey`, `x-kubernetes-list-map-keys`), found by the field names that lead to the list
 * (`^` is the object's root). The second key (a protocol) only counts where someone writes it. Any
 * other list is replaced whole by the patch's.
 */
const MERGE_KEYS: [RegExp, string[]][] = [
  [/(^|\.)(containers|initContainers|ephemeralContainers)$/, ['name']],
  [/(^|\.)(containers|initContainers|ephemeralContainers)\.ports$/, ['containerPort', 'protocol']],
  [/^spec\.ports$/, ['port', 'protocol']],
  [/(^|\.)(containers|initContainers|ephemeralContainers)\.env$/, ['name']],
  [/\.volumeMounts$/, ['mountPath']],
  [/\.volumeDevices$/, ['devicePath']],
  [/(^|\.)volumes$/, ['name']],
  [/(^|\.)imagePullSecrets$/, ['name']],
  [/(^|\.)hostAliases$/, ['ip']],
  [/(^|\.)resourceClaims$/, ['name']],
  [/(^|\.)topologySpreadConstraints$/, ['topologyKey', 'whenUnsatisfiable']],
  [/^status\.conditions$/, ['type']],
];

/** The merge keys by dotted path: a render merges the same few lists again and again. */
const KEYS_OF = new Map<string, string[] | undefined>();

function mergeKeys(path: string[]): string[] | undefined {
  const p = path.join('.');
  if (KEYS_OF.has(p)) return KEYS_OF.get(p);
  const keys = MERGE_KEYS.find(([re]) => re.test(p))?.[1];
  if (KEYS_OF.size >= 1000) KEYS_OF.clear();
  KEYS_OF.set(p, keys);
  return keys;
}

/**
 * Where each node of a render's trees was written, and which of their maps and lists the render made.
 * A render starts from the parses' own trees, shared with every other render that reads the same file
 * (a base under two overlays), and copies on write: before it changes a map or list it did not make,
 * it puts a shallow copy in its place (`writable`), and so on up to the object's root; everything else
 * stays shared. A node the render did not place is its object's own: a node of the parse of the file
 * the object was read from (it has a range), or a key the render made without a place (it has none).
 * One per render, dropped with it (Maps: a WeakMap's sets and its ephemerons cost several times more, measured).
 */
export class Origins<S> {
  private readonly where = new Map<object, S>();
  /** The maps and lists this render made: the only ones it changes in place. */
  private readonly own = new Set<object>();
  of(node: unknown): S | undefined {
    return node && typeof node === 'object' ? this.where.get(node) : undefined;
  }
  place(node: object, src: S | undefined): void {
    if (src !== undefined) this.where.set(node, src);
  }
  /** A map or list the render just made: it may change it in place. */
  fresh<T extends YAMLMap | YAMLSeq>(node: T, src?: S): T {
    this.own.add(node);
    this.place(node, src);
    return node;
  }
  /**
   * `node` itself when this render made it, else a new map or list holding the same pairs or items
   * (pairs and scalars are never changed in place), placed where `node` was: the caller puts it in
   * `node`'s place before changing it.
   */
  writable<T extends YAMLMap | YAMLSeq>(node: T): T {
    if (this.own.has(node)) return node;
    const c = (isMap(node) ? new YAMLMap() : new YAMLSeq()) as T;
    c.range = node.range;
    c.items = node.items.slice();
    return this.fresh(c, this.where.get(node));
  }
  /**
   * Places the nodes of `node` (a value a render takes out of an object into another) that it has not
   * placed at `src`, the object's file: moved elsewhere, they could no longer be told apart from the
   * other object's own. A node without a range (a key the render made) stays unplaced.
   */
  settle(node: unknown, src: S): void {
    if (!node || typeof node !== 'object') return;
    if ((node as Node).range && !this.where.has(node)) this.where.set(node, src);
    if (isMap(node)) {
      for (const it of node.items) {
        this.settle(it.key, src);
        this.settle(it.value, src);
      }
    } else if (isSeq(node)) for (const it of node.items) this.settle(it, src);
  }
  /**
   * A copy of `node`'s maps, lists and pairs (scalars shared), placed at `src` or where each original
   * was; `strip` leaves out strategic merge directives (`$patch` and other `$` keys, deleted items).
   */
  copy<T>(node: T, src?: S, strip = false): T {
    if (!node || typeof node !== 'object') return node;
    const from = src ?? this.of(node);
    if (isScalar(node)) {
      this.place(node, from);
      return node;
    }
    if (isMap(node)) {
      const m = new YAMLMap();
      m.range = node.range;
      for (const it of node.items) {
        if (!isPair(it)) continue;
        if (strip && isScalar(it.key) && String(it.key.value).startsWith('$')) continue;
        const key = this.copy(it.key, src);
        const value = this.copy(it.value, src, strip);
        // A pair is never changed (setKey puts a new one in its place): one whose value is a scalar is shared.
        m.items.push(value === it.value ? it : new Pair(key, value));
      }
      return this.fresh(m, from) as T;
    }
    if (isSeq(node)) {
      const s = new YAMLSeq();
      s.range = node.range;
      for (const it of node.items) {
        if (strip && (directiveOnly(it) || directive(it) === 'delete')) continue;
        s.items.push(this.copy(it, src, strip));
      }
      return this.fresh(s, from) as T;
    }
    return node;
  }
  /** A scalar of `value`, placed where `like` was written (its range and style): a value a transformer made. */
  derive(value: unknown, like: Scalar): Scalar {
    const s = new Scalar(value);
    s.range = like.range;
    s.type = like.type;
    this.place(s, this.of(like));
    return s;
  }
}

export function directive(node: unknown): string | undefined {
  return str(get(node, '$patch'));
}

/** A list item that is only a directive (`- $patch: replace`). */
function directiveOnly(node: unknown): boolean {
  return isMap(node) && node.items.length === 1 && directive(node) !== undefined;
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  for (const it of map.items) if (isPair(it) && isScalar(it.key) && String(it.key.value) === key) return it as Pair;
  return undefined;
}

/** Sets `key` of a map the render made (a new pair: pairs are shared between a map and its copies); `keyNode` names the key where it is new. */
export function setKey(map: YAMLMap, key: string, value: unknown, keyNode?: Scalar): void {
  const i = map.items.findIndex((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
  if (i >= 0) map.items[i] = new Pair((map.items[i] as Pair).key, value);
  else map.items.push(new Pair(keyNode ?? new Scalar(key), value));
}

export function deleteKey(map: YAMLMap, key: string): boolean {
  const i = map.items.findIndex((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
  if (i >= 0) map.items.splice(i, 1);
  return i >= 0;
}

/** Fields a patch names its target by: the target keeps its own (a patch may name it by a name it had before). */
const IDENTITY = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);

/** An object of a render: its tree, whose root the render replaces when it copies it on write. */
export interface Tree {
  node: YAMLMap;
}

/** The root of `t`, made writable. */
function rootOf<S>(t: Tree, o: Origins<S>): YAMLMap {
  return (t.node = o.writable(t.node));
}

/** The value at a slot whose holder the render made, made writable (and put in its place) when it is a map or a list. */
export function ownedAt<S>(slot: Slot, o: Origins<S>): Node | undefined {
  const v = valueAt(slot);
  if (!isMap(v) && !isSeq(v)) return v;
  const w = o.writable(v);
  if (w !== v) setAt(slot, w);
  return w;
}

/**
 * Merges a strategic merge patch into an object, as `kubectl kustomize` does: maps key by key (null
 * deletes), keyed lists item by item, other lists and scalars replaced; `$patch: delete`, `$patch:
 * replace` and `- $patch: replace` directives. 'delete' when the patch deletes the object.
 */
export function mergeObject<S>(t: Tree, patch: YAMLMap, o: Origins<S>, src: S): 'delete' | undefined {
  const d = directive(patch);
  if (d === 'delete') return 'delete';
  const target = rootOf(t, o);
  if (d === 'replace') {
    // The object becomes the patch; what identifies it (and its labels) stays the target's.
    const kept = (it: unknown): boolean => isPair(it) && isScalar(it.key) && ['apiVersion', 'kind', 'metadata'].includes(String(it.key.value));
    target.items = [...target.items.filter(kept), ...o.copy(patch, src, true).items.filter((it) => !kept(it))];
    return undefined;
  }
  mergeMap(target, patch, [], o, src);
  return undefined;
}

function mergeMap<S>(t: YAMLMap, p: YAMLMap, path: string[], o: Origins<S>, src: S): void {
  // Identity fields are at most two deep.
  const at = path.length < 2 ? path.map((x) => `${x}.`).join('') : undefined;
  for (const it of p.items) {
    if (!isPair(it) || !isScalar(it.key)) continue;
    const k = String(it.key.value);
    if (k.startsWith('$') || (at !== undefined && IDENTITY.has(at + k))) continue;
    const pv = it.value;
    const tv = pairOf(t, k)?.value;
    const d = directive(pv);
    if (isNull(pv) || d === 'delete') {
      deleteKey(t, k);
      continue;
    }
    if (isMap(pv) && d !== 'replace' && isMap(tv)) mergeMap(ownedAt({ holder: t, key: k }, o) as YAMLMap, pv, [...path, k], o, src);
    else if (isSeq(pv) && isSeq(tv)) mergeList(ownedAt({ holder: t, key: k }, o) as YAMLSeq, pv, [...path, k], o, src);
    else setKey(t, k, o.copy(pv, src, true), o.copy(it.key, src));
  }
}

interface Entry {
  node: Node;
  key?: string;
  second?: string;
  del: boolean;
  /** `$patch: replace` on one item: `kubectl kustomize` keeps the base's item as it is (a new item is added). */
  keep: boolean;
}

/**
 * Merges a list. A keyed list without its second key written anywhere takes the patch's items first,
 * in the patch's order, then the base's others. With one written (ports keyed by number and protocol),
 * new items come first, the base's keep their order, and a patch item whose number the base has under
 * another protocol is dropped (what `kubectl kustomize` does; checked by the oracle test).
 */
function mergeList<S>(t: YAMLSeq, p: YAMLSeq, path: string[], o: Origins<S>, src: S): void {
  const keys = mergeKeys(path);
  const nodes = p.items as Node[];
  if (!keys || nodes.some((n) => directiveOnly(n) && directive(n) === 'replace')) {
    t.items = o.copy(p, src, true).items;
    return;
  }
  const keyOf = (n: unknown): string | undefined => str(get(n, keys[0]));
  const secondOf = (n: unknown): string | undefined => (keys[1] ? str(get(n, keys[1])) : undefined);
  const entries = nodes.filter((n) => !directiveOnly(n)).map((n): Entry => ({ node: n, key: keyOf(n), second: secondOf(n), del: directive(n) === 'delete', keep: directive(n) === 'replace' }));
  const base = t.items as Node[];
  const merge = (b: Node, e: Entry): Node => {
    if (e.keep || !isMap(b) || !isMap(e.node)) return b;
    const w = o.writable(b);
    mergeMap(w, e.node, path, o, src);
    return w;
  };
  const added = (e: Entry): Node => o.copy(e.node, src, true);
  const withSecond = keys[1] !== undefined && (base.some((b) => secondOf(b) !== undefined) || entries.some((e) => e.second !== undefined));
  if (!withSecond) {
    const out: Node[] = [];
    // By index: an item may be in the list twice (an alias).
    const used = new Set<number>();
    for (const e of entries) {
      const i = e.key === undefined ? -1 : base.findIndex((x, j) => !used.has(j) && keyOf(x) === e.key);
      if (i >= 0) used.add(i);
      if (e.del) continue;
      out.push(i >= 0 ? merge(base[i], e) : added(e));
    }
    base.forEach((b, j) => {
      if (!used.has(j)) out.push(b);
    });
    t.items = out;
    return;
  }
  const out: Node[] = entries.filter((e) => !e.del && !base.some((b) => keyOf(b) === e.key)).map(added);
  for (const b of base) {
    const e = entries.find((x) => x.key === keyOf(b) && x.second === secondOf(b));
    if (e?.del) continue;
    out.push(e ? merge(b, e) : b);
  }
  t.items = out;
}

/** A path step: a key or an index, `*` (every item) or a `[key=value]` list selector (replacements). */
export type Tok = string | { key: string; value: string };

/** `/spec/ports/0/port` → tokens (`~1` and `~0` unescaped). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.replace(/^\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Field paths read before: the transformers' own are read for every object of every render. */
const TOKENS = new Map<string, Tok[]>();

/** `spec.template.spec.containers.[name=api].ports.0.containerPort` (or `ports[0]`) → tokens (never changed by the caller). */
export function fieldPathTokens(fieldPath: string): Tok[] {
  const hit = TOKENS.get(fieldPath);
  if (hit) return hit;
  const out: Tok[] = [];
  for (const m of fieldPath.matchAll(/\[([^\]=]*)=([^\]]*)\]|[^.[\]]+/g)) out.push(m[1] !== undefined ? { key: m[1], value: m[2] } : m[0]);
  if (TOKENS.size >= 1000) TOKENS.clear();
  TOKENS.set(fieldPath, out);
  return out;
}

/** One place a path reaches: a map and its key, or a list and its index. */
export interface Slot {
  holder: YAMLMap | YAMLSeq;
  key: string | number;
}

export function valueAt(slot: Slot): Node | undefined {
  if (isMap(slot.holder)) return (pairOf(slot.holder, String(slot.key))?.value ?? undefined) as Node | undefined;
  return (slot.holder.items[slot.key as number] ?? undefined) as Node | undefined;
}

export function setAt(slot: Slot, value: unknown, keyNode?: Scalar): void {
  if (isMap(slot.holder)) setKey(slot.holder, String(slot.key), value, keyNode);
  else slot.holder.items[slot.key as number] = value;
}

function stepKey(holder: unknown, tok: Tok): string | number | undefined {
  if (isMap(holder)) return typeof tok === 'string' ? tok : undefined;
  if (!isSeq(holder)) return undefined;
  if (typeof tok !== 'string') {
    const i = holder.items.findIndex((x) => str(get(x, tok.key)) === tok.value);
    return i >= 0 ? i : undefined;
  }
  return /^\d+$/.test(tok) ? Number(tok) : undefined;
}

/**
 * Every place a field path reaches in a tree (`*` stands for each item of a list; an item the rest of
 * the path misses is passed over), to read. Empty when the path reaches nothing.
 */
export function slotsOf(root: Node, toks: Tok[]): Slot[] {
  return reach(root, toks);
}

/**
 * The places a field path reaches in an object, to write: every map and list on the way is made
 * writable. `create`: maps a missing step needs are made (the last step need not exist either).
 */
export function writableSlots<S>(t: Tree, toks: Tok[], o: Origins<S>, create?: () => YAMLMap): Slot[] {
  if (toks.length === 0) return [];
  return reach(rootOf(t, o), toks, { o, create });
}

function reach<S>(root: Node, toks: Tok[], write?: { o: Origins<S>; create?: () => YAMLMap }): Slot[] {
  if (toks.length === 0) return [];
  const create = write?.create;
  let here: unknown[] = [root];
  for (let i = 0; i < toks.length - 1; i++) {
    const next: unknown[] = [];
    for (const h of here) {
      if (toks[i] === '*') {
        if (isSeq(h)) h.items.forEach((_, j) => next.push(write ? ownedAt({ holder: h, key: j }, write.o) : h.items[j]));
        continue;
      }
      const key = stepKey(h, toks[i]);
      let v = key === undefined ? undefined : write ? ownedAt({ holder: h as YAMLMap, key }, write.o) : valueAt({ holder: h as YAMLMap, key });
      if ((v === undefined || isNull(v)) && create && isMap(h) && key !== undefined) setKey(h, String(key), (v = create()));
      if (v !== undefined && v !== null) next.push(v);
    }
    here = next;
  }
  const last = toks[toks.length - 1];
  const out: Slot[] = [];
  for (const h of here) {
    if (!isMap(h) && !isSeq(h)) continue;
    if (last === '*') {
      if (isSeq(h)) h.items.forEach((_, i) => out.push({ holder: h, key: i }));
      continue;
    }
    const key = stepKey(h, last);
    if (key === undefined) continue;
    const slot = { holder: h, key };
    if (valueAt(slot) !== undefined || create) out.push(slot);
  }
  return out;
}

/**
 * Applies one JSON 6902 operation (RFC 6902) to an object: `value` is the patch's node,
 * `from` the source of a move or copy. 'missing' when the path is not there, 'no-from' when `from` is
 * not, 'failed' for a `test` that does not hold, 'root' for an operation on the whole object (not followed).
 */
export function applyOperation<S>(t: Tree, op: string, path: string[], value: Node | undefined, from: string[] | undefined, o: Origins<S>, src: S): 'ok' | 'missing' | 'no-from' | 'failed' | 'root' {
  if (path.length === 0) return 'root';
  const parentOf = (p: string[], write: boolean): YAMLMap | YAMLSeq | undefined => {
    if (p.length === 1) return write ? rootOf(t, o) : t.node;
    const slot = write ? writableSlots(t, p.slice(0, -1), o)[0] : slotsOf(t.node, p.slice(0, -1))[0];
    const h = slot && (write ? ownedAt(slot, o) : valueAt(slot));
    return isMap(h) || isSeq(h) ? h : undefined;
  };
  // Read first: a path that is not there copies nothing.
  const found = parentOf(path, false);
  if (!found) return 'missing';
  const holder = op === 'test' ? found : (parentOf(path, true) as YAMLMap | YAMLSeq);
  const last = path[path.length - 1];
  const at = (): Slot | undefined => {
    const key = isSeq(holder) ? (/^\d+$/.test(last) ? Number(last) : undefined) : last;
    if (key === undefined) return undefined;
    const slot = { holder, key };
    return valueAt(slot) === undefined ? undefined : slot;
  };
  if (op === 'test') {
    const slot = at();
    if (!slot) return 'missing';
    return JSON.stringify(jsonOf(valueAt(slot))) === JSON.stringify(jsonOf(value)) ? 'ok' : 'failed';
  }
  let v: unknown = value ? o.copy(value, src) : o.copy(new Scalar(null), src);
  if (op === 'move' || op === 'copy') {
    const there = from && from.length ? slotsOf(t.node, from)[0] : undefined;
    if (!there || valueAt(there) === undefined) return 'no-from';
    const fromSlot = op === 'move' ? (writableSlots(t, from as string[], o)[0] as Slot) : there;
    const fv = valueAt(fromSlot) as Node;
    v = op === 'copy' ? o.copy(fv) : fv;
    if (op === 'move') removeAt(fromSlot);
  }
  if (op === 'remove' || op === 'replace') {
    const slot = at();
    if (!slot) return 'missing';
    if (op === 'remove') removeAt(slot);
    else setAt(slot, v);
    return 'ok';
  }
  // add, and the second half of move and copy.
  if (isMap(holder)) {
    setKey(holder, last, v);
    return 'ok';
  }
  const i = last === '-' ? holder.items.length : /^\d+$/.test(last) ? Number(last) : -1;
  if (i < 0 || i > holder.items.length) return 'missing';
  holder.items.splice(i, 0, v);
  return 'ok';
}

function removeAt(slot: Slot): void {
  if (isMap(slot.holder)) deleteKey(slot.holder, String(slot.key));
  else slot.holder.items.splice(slot.key as number, 1);
}

function jsonOf(node: unknown): unknown {
  if (isScalar(node)) return node.value ?? null;
  if (isMap(node)) return Object.fromEntries(node.items.filter(isPair).map((p) => [String((p.key as Scalar).value), jsonOf(p.value)]));
  if (isSeq(node)) return node.items.map(jsonOf);
  return null;
}
