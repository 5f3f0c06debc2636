// Numbers and types: Go's comparison builtins, Sprig's integer and float math, conversions, semver and reflection.
import { asNum, Cannot, cannotOf, equal, need, num, order, printVal, text, toInt, truth } from './helm-print';
import { NIL, str } from './helm-values';
import type { Val } from './helm-values';
import type { Fn } from './helm-funcs-text';

const B = (v: boolean): Val => ({ k: 'bool', v });
const I = (v: number, int: 'int' | 'int64' = 'int64'): Val => ({ k: 'num', v: Math.trunc(v), int });
const F = (v: number): Val => ({ k: 'num', v });
const L = (v: Val[]): Val => ({ k: 'list', v });

/** A Go integer of `v` (as the numbers Sprig's integer math returns), keeping its source where it is spelled the same. */
function int64(v: Val): Val {
  const r = toInt(v);
  return r.k === 'num' ? { ...r, int: 'int64' } : r;
}

function ints(a: Val[]): number[] {
  return a.map((x) => Math.trunc(num(x)));
}

/** Sprig's until/untilStep/seq are bounded here: a list longer than this stops. */
const MAX_LIST = 100_000;

function untilStep(start: number, stop: number, step: number): Val {
  if (step === 0 || (stop - start) / step > MAX_LIST) throw new Cannot(`a list from ${start} to ${stop} by ${step} is too long`);
  const out: Val[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(I(i, 'int'));
  return L(out);
}

/** Sprig's seq, as GNU seq: `seq 3`, `seq 2 5`, `seq 0 2 10`, counting down where the end is below. */
function seq(a: Val[]): Val {
  const n = ints(a);
  const [start, step, end] = n.length === 1 ? [1, 1, n[0]] : n.length === 2 ? [n[0], n[0] <= n[1] ? 1 : -1, n[1]] : [n[0], n[1], n[2]];
  if (n.length === 0 || step === 0 || Math.abs((end - start) / step) > MAX_LIST) return str('');
  const out: number[] = [];
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
  return str(out.join(' '));
}

// ---- semver (Masterminds/semver v3, as Sprig's semver and semverCompare read versions and constraints)

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
  meta: string;
  original: string;
}

function parseVersion(s: string): Version {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(s.trim());
  if (!m) throw new Cannot(`${JSON.stringify(s)} is not a semantic version`);
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '', meta: m[5] ?? '', original: s };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === undefined) return -1;
    if (y[i] === undefined) return 1;
    const nx = /^\d+$/.test(x[i]);
    const ny = /^\d+$/.test(y[i]);
    if (nx && ny && Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
    if (nx !== ny) return nx ? -1 : 1;
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.pre, b.pre);
}

/** One `op version` of a constraint as a test; wildcards (`1.2.x`, `*`) and `~`/`^` become ranges. */
function term(op: string, ver: string): (v: Version) => boolean {
  const parts = ver.replace(/^v/, '').split(/[-+]/)[0].split('.');
  const wild = (i: number): boolean => parts[i] === undefined || /^[xX*]$/.test(parts[i]);
  if (wild(0)) return () => true;
  const base = parseVersion(ver.replace(/\.[xX*](?=\.|$|-)/g, '.0').replace(/\.[xX*]/g, '.0'));
  const cmp = (v: Version): number => compareVersions(v, base);
  const next = (level: 'major' | 'minor'): Version => (level === 'major' ? { ...base, major: base.major + 1, minor: 0, patch: 0, pre: '' } : { ...base, minor: base.minor + 1, patch: 0, pre: '' });
  const below = (up: Version) => (v: Version): boolean => cmp(v) >= 0 && compareVersions(v, up) < 0;
  switch (op) {
    case '~':
    case '~>':
      return below(next(wild(1) ? 'major' : 'minor'));
    case '^':
      return below(next(base.major > 0 || wild(1) ? 'major' : 'minor'));
    case '>':
      return wild(1) ? (v) => v.major > base.major : wild(2) ? (v) => compareVersions(v, next('minor')) >= 0 : (v) => cmp(v) > 0;
    case '>=':
    case '=>':
      return (v) => cmp(v) >= 0;
    case '<':
      return (v) => cmp(v) < 0;
    case '<=':
    case '=<':
      return wild(1) ? (v) => v.major <= base.major : wild(2) ? (v) => compareVersions(v, next('minor')) < 0 : (v) => cmp(v) <= 0;
    case '!=':
      return wild(1) ? (v) => v.major !== base.major : wild(2) ? (v) => !below(next('minor'))(v) : (v) => cmp(v) !== 0;
    default:
      return wild(1) ? below(next('major')) : wild(2) ? below(next('minor')) : (v) => cmp(v) === 0;
  }
}

/** Whether `version` meets `constraint` (`>= 1.21-0`, `^1.2 || ~2.0`, `1.2 - 1.4`); a pre-release only where the constraint names one. */
export function semverMatches(constraint: string, version: string): boolean {
  const v = parseVersion(version);
  return constraint.split('||').some((alt) => {
    const src = alt.trim().replace(/(\S+)\s+-\s+(\S+)/g, '>= $1, <= $2');
    const terms = [...src.matchAll(/(!=|>=|=>|<=|=<|~>|[=<>~^])?\s*(v?[\dxX*][0-9A-Za-z.+*-]*)/g)];
    if (terms.length === 0) throw new Cannot(`${JSON.stringify(constraint)} is not a version constraint`);
    if (v.pre && !terms.some((t) => t[2].includes('-'))) return false;
    return terms.every((t) => term(t[1] ?? '=', t[2])(v));
  });
}

function semverVal(s: string): Val {
  const v = parseVersion(s);
  return { k: 'map', v: new Map<string, Val>([['Major', I(v.major)], ['Minor', I(v.minor)], ['Patch', I(v.patch)], ['Prerelease', str(v.pre)], ['Metadata', str(v.meta)], ['Original', str(v.original)]]) };
}

// ---- reflection

/** What Go's reflect calls the kind of a value Helm holds (values are float64, maps map[string]interface{}). */
export function kindOf(v: Val): string {
  switch (v.k) {
    case 'nil':
      return 'invalid';
    case 'str':
      return 'string';
    case 'num':
      return v.int ?? 'float64';
    case 'bool':
      return 'bool';
    case 'list':
      return 'slice';
    case 'map':
      return 'map';
    case 'unknown':
      throw cannotOf(v);
  }
}

function typeOf(v: Val): string {
  return v.k === 'nil' ? '<nil>' : v.k === 'list' ? '[]interface {}' : v.k === 'map' ? 'map[string]interface {}' : kindOf(v);
}

function cmp(name: string, test: (n: number) => boolean): Fn {
  return (a) => {
    need(a, 2, name);
    return B(test(order(a[0], a[1])));
  };
}

export const NUMBER_FUNCS: Record<string, Fn> = {
  // ---- Go's builtins
  not: (a) => B(!truth(a[0] ?? NIL)),
  eq: (a) => {
    need(a, 2, 'eq');
    return B(a.slice(1).some((b) => equal(a[0], b)));
  },
  ne: (a) => {
    need(a, 2, 'ne');
    return B(!equal(a[0], a[1]));
  },
  lt: cmp('lt', (n) => n < 0),
  le: cmp('le', (n) => n <= 0),
  gt: cmp('gt', (n) => n > 0),
  ge: cmp('ge', (n) => n >= 0),
  // ---- integer math (int64, as Sprig's)
  add: (a) => I(ints(a).reduce((x, y) => x + y, 0)),
  add1: (a) => I(num(a[0] ?? NIL) + 1),
  sub: (a) => {
    need(a, 2, 'sub');
    return I(ints(a)[0] - ints(a)[1]);
  },
  mul: (a) => I(ints(a).reduce((x, y) => x * y, 1)),
  div: (a) => {
    need(a, 2, 'div');
    const [x, y] = ints(a);
    if (y === 0) throw new Cannot('div by zero');
    return I(x / y);
  },
  mod: (a) => {
    need(a, 2, 'mod');
    const [x, y] = ints(a);
    if (y === 0) throw new Cannot('mod by zero');
    return I(x % y);
  },
  max: (a) => I(Math.max(...ints(a))),
  min: (a) => I(Math.min(...ints(a))),
  biggest: (a) => I(Math.max(...ints(a))),
  floor: (a) => F(Math.floor(num(a[0] ?? NIL))),
  ceil: (a) => F(Math.ceil(num(a[0] ?? NIL))),
  round: (a) => {
    need(a, 2, 'round');
    const p = 10 ** num(a[1]);
    const on = a.length > 2 ? num(a[2]) : 0.5;
    const x = num(a[0]) * p;
    return F((x - Math.floor(x) >= on ? Math.ceil(x) : Math.floor(x)) / p);
  },
  // ---- float math
  addf: (a) => F(a.map(num).reduce((x, y) => x + y, 0)),
  add1f: (a) => F(num(a[0] ?? NIL) + 1),
  subf: (a) => F(a.map(num).reduce((x, y) => x - y)),
  mulf: (a) => F(a.map(num).reduce((x, y) => x * y, 1)),
  divf: (a) => F(a.map(num).reduce((x, y) => x / y)),
  maxf: (a) => F(Math.max(...a.map(num))),
  minf: (a) => F(Math.min(...a.map(num))),
  until: (a) => untilStep(0, Math.trunc(num(a[0] ?? NIL)), 1),
  untilStep: (a) => {
    need(a, 3, 'untilStep');
    const [start, stop, step] = ints(a);
    return untilStep(start, stop, step);
  },
  seq,
  // ---- conversions
  int: (a) => ({ ...int64(a[0] ?? NIL), int: 'int' }) as Val,
  int64: (a) => int64(a[0] ?? NIL),
  int32: (a) => ({ ...int64(a[0] ?? NIL), int: 'int' }) as Val,
  atoi: (a) => ({ ...(a[0]?.k === 'str' && /^[+-]?\d+$/.test(a[0].v.trim()) ? int64(a[0]) : I(0)), int: 'int' }) as Val,
  float64: (a) => asNum(a[0] ?? NIL, num(a[0] ?? NIL)),
  toDecimal: (a) => {
    const s = text(a[0] ?? NIL);
    return I(/^[0-7]+$/.test(s) ? parseInt(s, 8) : 0);
  },
  toString: (a: Val[]) => {
    const v = a[0] ?? NIL;
    if (v.k === 'nil') return str('<nil>');
    const r = printVal(v);
    return str(r.text, r.parts);
  },
  // ---- semver
  semver: (a) => semverVal(text(a[0] ?? NIL)),
  semverCompare: (a) => {
    need(a, 2, 'semverCompare');
    return B(semverMatches(text(a[0]), text(a[1])));
  },
  // ---- reflection
  kindOf: (a) => str(kindOf(a[0] ?? NIL)),
  kindIs: (a) => {
    need(a, 2, 'kindIs');
    return B(kindOf(a[1]) === text(a[0]));
  },
  typeOf: (a) => str(typeOf(a[0] ?? NIL)),
  typeIs: (a) => {
    need(a, 2, 'typeIs');
    return B(typeOf(a[1]) === text(a[0]));
  },
  typeIsLike: (a) => {
    need(a, 2, 'typeIsLike');
    const t = typeOf(a[1]);
    return B(t === text(a[0]) || `*${t}` === text(a[0]));
  },
};
