// A TOML file as a flat map of dotted paths (`http_service.internal_port`, `services.0.ports.1.port`)
// to their values with exact source ranges, from toml-eslint-parser's syntax tree.
import { parseTOML } from 'toml-eslint-parser';

/** A scalar of the file: its value, and the range of its token (quotes included for a string). */
export interface TomlScalar {
  value: string | number | boolean;
  /** A string's characters stand in the file exactly as read (no escapes): its inner range may be edited. */
  plain: boolean;
  start: number;
  end: number;
  /** The key's range. */
  keyStart: number;
  keyEnd: number;
}

export type TomlPaths = Map<string, TomlScalar>;

interface Node {
  type: string;
  range: [number, number];
  [k: string]: unknown;
}

/** Parses `text`; throws the parser's error (with `lineNumber`, `column`) on a syntax error. */
export function tomlPaths(text: string): TomlPaths {
  const out: TomlPaths = new Map();
  const top = (parseTOML(text) as unknown as { body: Node[] }).body[0];
  for (const item of top.body as Node[]) {
    if (item.type === 'TOMLKeyValue') keyValue(item, [], text, out);
    else for (const kv of item.body as Node[]) keyValue(kv, item.resolvedKey as (string | number)[], text, out);
  }
  return out;
}

function keyValue(kv: Node, prefix: (string | number)[], text: string, out: TomlPaths): void {
  const key = kv.key as Node & { keys: { name?: string; value?: string }[] };
  const path = [...prefix, ...key.keys.map((k) => k.name ?? k.value ?? '')];
  value(kv.value as Node, path, key.range, text, out);
}

function value(node: Node, path: (string | number)[], keyRange: [number, number], text: string, out: TomlPaths): void {
  if (node.type === 'TOMLInlineTable') {
    for (const kv of node.body as Node[]) keyValue(kv, path, text, out);
  } else if (node.type === 'TOMLArray') {
    (node.elements as Node[]).forEach((el, i) => value(el, [...path, i], keyRange, text, out));
  } else if (node.type === 'TOMLValue') {
    const v = node.value as string | number | boolean;
    const [start, end] = node.range;
    const plain = typeof v !== 'string' || text.slice(start + 1, end - 1) === v;
    out.set(path.join('.'), { value: typeof v === 'bigint' ? Number(v) : v, plain, start, end, keyStart: keyRange[0], keyEnd: keyRange[1] });
  }
}
