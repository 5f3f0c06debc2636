// values.schema.json as helm uses it: `helm template/install/lint` validate each chart's coalesced values
// against its schema and refuse on a violation; defaults are never applied (helm/helm#8218). A small
// JSON Schema validator of the keywords values schemas use; the bundles carry no schema compiler (ajv's
// code generation is kept out of them, test/config.test.mjs), so this one interprets the schema.
import type { Val } from './helm-values';

type Schema = boolean | Record<string, unknown>;

/** One violation: where in the values (`/service/port`) and what. */
export interface SchemaError {
  path: string[];
  message: string;
}

/** The violations of `values` (at most `max`), or a reason the schema cannot be used. */
export function validateValues(schemaText: string, values: Val, max = 20): { errors: SchemaError[] } | { unusable: string } {
  let schema: Schema;
  try {
    schema = JSON.parse(schemaText) as Schema;
  } catch (e) {
    return { unusable: `it is not valid JSON (${(e as Error).message})` };
  }
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) return { unusable: 'it is not a JSON Schema object' };
  const errors: SchemaError[] = [];
  try {
    check(schema, values, [], { root: schema, errors, max, depth: 0 });
  } catch (e) {
    if (!(e instanceof Unusable)) throw e;
    return { unusable: e.message };
  }
  return { errors };
}

class Unusable extends Error {}

interface Ctx {
  root: Schema;
  errors: SchemaError[];
  max: number;
  depth: number;
}

function typeOf(v: Val): string {
  switch (v.k) {
    case 'nil':
      return 'null';
    case 'str':
      return 'string';
    case 'num':
      return Number.isInteger(v.v) ? 'integer' : 'number';
    case 'bool':
      return 'boolean';
    case 'list':
      return 'array';
    case 'map':
      return 'object';
    default:
      return 'unknown';
  }
}

/** The value as plain JSON, for `enum`, `const` and `uniqueItems`. */
function plain(v: Val): unknown {
  if (v.k === 'list') return v.v.map(plain);
  if (v.k === 'map') return Object.fromEntries([...v.v].map(([k, x]) => [k, plain(x)]));
  if (v.k === 'nil' || v.k === 'unknown') return null;
  return v.v;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  return x;
}

/** A local `$ref` (`#/definitions/x`, `#/$defs/x`); any other cannot be followed without the network. */
function resolve(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#')) throw new Unusable(`its $ref ${ref} is not in the schema itself (helm would fetch it)`);
  let cur: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  if (typeof cur !== 'boolean' && (!cur || typeof cur !== 'object')) throw new Unusable(`its $ref ${ref} leads nowhere`);
  return cur as Schema;
}

/** Whether `v` satisfies `s` (no errors recorded): for anyOf/oneOf/not. */
function passes(s: Schema, v: Val, path: string[], ctx: Ctx): boolean {
  const probe: Ctx = { ...ctx, errors: [], max: 1 };
  check(s, v, path, probe);
  return probe.errors.length === 0;
}

function fail(ctx: Ctx, path: string[], message: string): void {
  if (ctx.errors.length < ctx.max) ctx.errors.push({ path, message });
}

function check(s: Schema, v: Val, path: string[], ctx: Ctx): void {
  if (v.k === 'unknown' || ctx.errors.length >= ctx.max) return;
  if (s === true) return;
  if (s === false) return fail(ctx, path, 'no value is allowed here');
  if (ctx.depth > 64) throw new Unusable('it nests deeper than 64 (a $ref cycle?)');
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
  if (typeof s.$ref === 'string') check(resolve(s.$ref, ctx.root), v, path, inner);
  checkType(s, v, path, ctx);
  if (Array.isArray(s.enum) && !s.enum.some((e) => same(e, plain(v)))) fail(ctx, path, `must be one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && !same(s.const, plain(v))) fail(ctx, path, `must be ${JSON.stringify(s.const)}`);
  for (const sub of Array.isArray(s.allOf) ? (s.allOf as Schema[]) : []) check(sub, v, path, inner);
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((x) => passes(x, v, path, inner))) fail(ctx, path, 'must match a schema of anyOf');
  if (Array.isArray(s.oneOf) && (s.oneOf as Schema[]).filter((x) => passes(x, v, path, inner)).length !== 1) fail(ctx, path, 'must match exactly one schema of oneOf');
  if (s.not !== undefined && passes(s.not as Schema, v, path, inner)) fail(ctx, path, 'must not match the schema of not');
  if (s.if !== undefined) {
    const then = passes(s.if as Schema, v, path, inner) ? s.then : s.else;
    if (then !== undefined) check(then as Schema, v, path, inner);
  }
  if (v.k === 'num') checkNumber(s, v.v, path, ctx);
  if (v.k === 'str') checkString(s, v.v, path, ctx);
  if (v.k === 'list') checkList(s, v.v, path, inner);
  if (v.k === 'map') checkMap(s, v.v, path, inner);
}

function checkType(s: Record<string, unknown>, v: Val, path: string[], ctx: Ctx): void {
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : undefined;
  if (!types) return;
  const t = typeOf(v);
  if (types.includes(t) || (t === 'integer' && types.includes('number'))) return;
  fail(ctx, path, `must be ${types.join(' or ')}, not ${t}`);
}

function checkNumber(s: Record<string, unknown>, n: number, path: string[], ctx: Ctx): void {
  const num = (k: string): number | undefined => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const min = num('minimum');
  const max = num('maximum');
  const xmin = num('exclusiveMinimum');
  const xmax = num('exclusiveMaximum');
  if (min !== undefined && n < min) fail(ctx, path, `must be >= ${min}`);
  if (max !== undefined && n > max) fail(ctx, path, `must be <= ${max}`);
  if (xmin !== undefined && n <= xmin) fail(ctx, path, `must be > ${xmin}`);
  if (xmax !== undefined && n >= xmax) fail(ctx, path, `must be < ${xmax}`);
  const mult = num('multipleOf');
  if (mult && Math.abs(n / mult - Math.round(n / mult)) > 1e-9) fail(ctx, path, `must be a multiple of ${mult}`);
}

function checkString(s: Record<string, unknown>, t: string, path: string[], ctx: Ctx): void {
  const len = [...t].length;
  if (typeof s.minLength === 'number' && len < s.minLength) fail(ctx, path, `must be at least ${s.minLength} characters`);
  if (typeof s.maxLength === 'number' && len > s.maxLength) fail(ctx, path, `must be at most ${s.maxLength} characters`);
  if (typeof s.pattern === 'string') {
    let re: RegExp;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      throw new Unusable(`its pattern ${JSON.stringify(s.pattern)} is not a regular expression JavaScript reads`);
    }
    if (!re.test(t)) fail(ctx, path, `must match ${s.pattern}`);
  }
}

function checkList(s: Record<string, unknown>, items: Val[], path: string[], ctx: Ctx): void {
  if (typeof s.minItems === 'number' && items.length < s.minItems) fail(ctx, path, `must have at least ${s.minItems} items`);
  if (typeof s.maxItems === 'number' && items.length > s.maxItems) fail(ctx, path, `must have at most ${s.maxItems} items`);
  const tuple = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]) : Array.isArray(s.items) ? (s.items as Schema[]) : [];
  const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
  items.forEach((x, i) => {
    const sub = i < tuple.length ? tuple[i] : rest;
    if (sub !== undefined) check(sub as Schema, x, [...path, String(i)], ctx);
  });
  if (s.uniqueItems === true) {
    const seen = items.map((x) => JSON.stringify(sortKeys(plain(x))));
    if (new Set(seen).size !== seen.length) fail(ctx, path, 'must not have duplicate items');
  }
}

function checkMap(s: Record<string, unknown>, m: Map<string, Val>, path: string[], ctx: Ctx): void {
  for (const k of Array.isArray(s.required) ? (s.required as string[]) : []) if (!m.has(k)) fail(ctx, path, `must have the property ${k}`);
  const props = s.properties && typeof s.properties === 'object' ? (s.properties as Record<string, Schema>) : {};
  const patterns = s.patternProperties && typeof s.patternProperties === 'object' ? Object.entries(s.patternProperties as Record<string, Schema>).map(([p, x]) => [new RegExp(p, 'u'), x] as const) : [];
  for (const [k, x] of m) {
    let matched = false;
    if (Object.prototype.hasOwnProperty.call(props, k)) {
      matched = true;
      check(props[k], x, [...path, k], ctx);
    }
    for (const [re, sub] of patterns) {
      if (!re.test(k)) continue;
      matched = true;
      check(sub, x, [...path, k], ctx);
    }
    if (!matched && s.additionalProperties !== undefined) {
      if (s.additionalProperties === false) fail(ctx, [...path, k], `${k} is not a property the schema allows`);
      else check(s.additionalProperties as Schema, x, [...path, k], ctx);
    }
  }
  if (typeof s.minProperties === 'number' && m.size < s.minProperties) fail(ctx, path, `must have at least ${s.minProperties} properties`);
  if (typeof s.maxProperties === 'number' && m.size > s.maxProperties) fail(ctx, path, `must have at most ${s.maxProperties} properties`);
}
