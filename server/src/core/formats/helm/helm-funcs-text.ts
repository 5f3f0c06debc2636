// Sprig's and Go's string functions: case, trimming, quoting, indentation, printf, string lists and regular expressions.
import { bounded, Cannot, need, num, printVal, shifted, shiftMap, strFn, text } from './helm-print';
import { NIL, str } from './helm-values';
import type { Part, Val } from './helm-values';

export type Fn = (a: Val[]) => Val;

const B = (v: boolean): Val => ({ k: 'bool', v });
const L = (v: Val[]): Val => ({ k: 'list', v });

/** What fmt's %v prints: nil is `<nil>` (only the template's own output prints it as nothing). */
function fmtV(v: Val): string {
  return v.k === 'nil' ? '<nil>' : text(v);
}

/** One verb of Go's printf, with its width and precision. */
function verb(v: string, flags: string, width: number | undefined, prec: number | undefined, a: Val): string {
  let out: string;
  const isNum = a.k === 'num';
  switch (v) {
    case 'v':
      out = fmtV(a);
      break;
    case 's':
      out = a.k === 'nil' ? '%!s(<nil>)' : text(a);
      if (prec !== undefined) out = out.slice(0, prec);
      break;
    case 'q':
      out = JSON.stringify(fmtV(a));
      break;
    case 'd':
      out = isNum && Number.isInteger(a.v) ? String(a.v) : `%!d(${fmtV(a)})`;
      break;
    case 't':
      out = a.k === 'bool' ? String(a.v) : `%!t(${fmtV(a)})`;
      break;
    case 'x':
    case 'X':
      out = isNum ? Math.trunc(a.v).toString(16) : Buffer.from(text(a), 'utf8').toString('hex');
      if (v === 'X') out = out.toUpperCase();
      break;
    case 'o':
      out = isNum ? Math.trunc(a.v).toString(8) : `%!o(${fmtV(a)})`;
      break;
    case 'b':
      out = isNum ? Math.trunc(a.v).toString(2) : `%!b(${fmtV(a)})`;
      break;
    case 'c':
      out = isNum ? String.fromCodePoint(a.v) : `%!c(${fmtV(a)})`;
      break;
    case 'e':
    case 'f':
    case 'F':
    case 'g':
      if (!isNum) return `%!${v}(${fmtV(a)})`;
      out = v === 'e' ? a.v.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2') : v === 'g' ? (prec === undefined ? String(a.v) : a.v.toPrecision(prec)) : a.v.toFixed(prec ?? 6);
      break;
    default:
      throw new Cannot(`printf %${v} is not supported`);
  }
  if (flags.includes('+') && isNum && a.v >= 0 && 'dfFeg'.includes(v)) out = `+${out}`;
  if (width !== undefined && out.length < width) out = flags.includes('-') ? out.padEnd(width) : flags.includes('0') && isNum ? out.padStart(width, '0') : out.padStart(width);
  return out;
}

/** Go's fmt.Sprintf over template values. */
export function sprintf(format: string, args: Val[]): string {
  let i = 0;
  const out = format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, w: string | undefined, p: string | undefined, v: string) => {
    if (v === '%') return '%';
    if (i >= args.length) return `%!${v}(MISSING)`;
    return verb(v, flags, w === undefined ? undefined : Number(w), p === undefined ? undefined : Number(p), args[i++]);
  });
  return i < args.length ? `${out}%!(EXTRA ${args.slice(i).map(fmtV).join(', ')})` : out;
}

/** fmt.Sprint: a space between operands when neither is a string. */
export function sprint(a: Val[]): string {
  return a.map((x, i) => (i > 0 && x.k !== 'str' && a[i - 1].k !== 'str' ? ' ' : '') + fmtV(x)).join('');
}

/** `s` indented by `n` spaces on every line, with its parts moved along (nindent: after a newline). */
export function indentRich(s: Val, n: number, newline: boolean): Val {
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

/** Go's regexp (RE2) as JavaScript reads it: `(?i)` flags up front, `\z`; what JS cannot read stops. */
function regex(src: string, global = false): RegExp {
  let flags = global ? 'gu' : 'u';
  let body = src;
  const m = /^\(\?([ims]+)\)/.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    for (const f of m[1]) if (!flags.includes(f)) flags += f;
  }
  body = body.replace(/\\z/g, '$').replace(/\\A/g, '^').replace(/\[\[:(\w+):\]\]/g, (_x, c: string) => ({ alpha: '[A-Za-z]', digit: '\\d', alnum: '[A-Za-z0-9]', space: '\\s', upper: '[A-Z]', lower: '[a-z]', punct: '[!-/:-@[-`{-~]', xdigit: '[0-9A-Fa-f]' })[c] ?? `[[:${c}:]]`);
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw new Cannot(`the regular expression ${JSON.stringify(src)} cannot be read here (${(e as Error).message})`);
  }
}

/** Go's regexp replacement: `$1`, `${name}`; `$$` is a dollar. */
function goReplacement(r: string): string {
  return r.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => (m === '$$' ? '$$' : /^\d+$/.test(a ?? b ?? '') ? `$${a ?? b}` : `$<${a ?? b}>`));
}

function words(s: string): string[] {
  return s.split(/[\s_-]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
}

function strList(v: Val): string[] {
  if (v.k === 'list') return v.v.map(text);
  if (v.k === 'nil') return [];
  return [text(v)];
}

/** Opaque stand-ins of the right shape: what a random function returns is never known before install. */
function opaque(n: number, alphabet: string): Val {
  return str(alphabet[0].repeat(Math.max(0, Math.min(n, 10000))));
}

export const TEXT_FUNCS: Record<string, Fn> = {
  // ---- Go's text/template builtins on text
  print: (a) => str(sprint(a)),
  println: (a) => str(`${a.map(fmtV).join(' ')}\n`),
  printf: (a) => {
    need(a, 1, 'printf');
    return str(sprintf(text(a[0]), a.slice(1)));
  },
  html: (a) => str(sprint(a).replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] as string)),
  js: (a) => str(sprint(a).replace(/[\\'"<>&=\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string)),
  urlquery: (a) => str(encodeURIComponent(sprint(a)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)),
  // ---- Sprig strings
  trim: (a) => strFn(a[0] ?? NIL, (s) => s.trim()),
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
  trunc: (a) => {
    need(a, 2, 'trunc');
    const n = num(a[0]);
    return strFn(a[1], (s) => (n >= 0 ? s.slice(0, n) : s.slice(Math.max(0, s.length + n))));
  },
  lower: (a) => strFn(a[0] ?? NIL, (s) => s.toLowerCase()),
  upper: (a) => strFn(a[0] ?? NIL, (s) => s.toUpperCase()),
  title: (a) => strFn(a[0] ?? NIL, (s) => s.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, b: string, c: string) => b + c.toUpperCase())),
  untitle: (a) => strFn(a[0] ?? NIL, (s) => s.replace(/(^|\s)(\S)/g, (_m, b: string, c: string) => b + c.toLowerCase())),
  swapcase: (a) => strFn(a[0] ?? NIL, (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')),
  camelcase: (a) => strFn(a[0] ?? NIL, (s) => s.split(/_+/).filter(Boolean).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')),
  kebabcase: (a) => strFn(a[0] ?? NIL, (s) => words(s).map((w) => w.toLowerCase()).join('-')),
  snakecase: (a) => strFn(a[0] ?? NIL, (s) => words(s).map((w) => w.toLowerCase()).join('_')),
  initials: (a) => strFn(a[0] ?? NIL, (s) => s.split(/\s+/).filter(Boolean).map((w) => w[0]).join('')),
  nospace: (a) => strFn(a[0] ?? NIL, (s) => s.replace(/\s+/g, '')),
  repeat: (a) => {
    need(a, 2, 'repeat');
    const n = Math.max(0, num(a[0]));
    bounded(text(a[1]).length * n, 'repeat');
    return str(text(a[1]).repeat(n));
  },
  substr: (a) => {
    need(a, 3, 'substr');
    const s = text(a[2]);
    let start = num(a[0]);
    let end = num(a[1]);
    if (start < 0) start = 0;
    if (end < 0 || end > s.length) end = s.length;
    return str(start > end ? '' : s.slice(start, end));
  },
  abbrev: (a) => {
    need(a, 2, 'abbrev');
    const n = num(a[0]);
    const s = text(a[1]);
    return str(n < 4 || s.length <= n ? s : `${s.slice(0, n - 3)}...`);
  },
  abbrevboth: (a) => {
    need(a, 3, 'abbrevboth');
    const [left, n, s] = [num(a[0]), num(a[1]), text(a[2])];
    if (n < 4 || s.length <= n) return str(s);
    const body = left > 4 ? `...${s.slice(left)}` : s;
    return str(body.length <= n ? body : `${body.slice(0, n - 3)}...`);
  },
  wrap: (a) => {
    need(a, 2, 'wrap');
    return str(wrapText(text(a[1]), num(a[0]), '\n'));
  },
  wrapWith: (a) => {
    need(a, 3, 'wrapWith');
    return str(wrapText(text(a[2]), num(a[0]), text(a[1])));
  },
  contains: (a) => {
    need(a, 2, 'contains');
    return B(text(a[1]).includes(text(a[0])));
  },
  hasPrefix: (a) => {
    need(a, 2, 'hasPrefix');
    return B(text(a[1]).startsWith(text(a[0])));
  },
  hasSuffix: (a) => {
    need(a, 2, 'hasSuffix');
    return B(text(a[1]).endsWith(text(a[0])));
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
  cat: (a) => str(a.filter((x) => x.k !== 'nil').map(text).join(' ')),
  indent: (a) => {
    need(a, 2, 'indent');
    return indentRich(a[1], num(a[0]), false);
  },
  nindent: (a) => {
    need(a, 2, 'nindent');
    return indentRich(a[1], num(a[0]), true);
  },
  replace: (a) => {
    need(a, 3, 'replace');
    return strFn(a[2], (s) => {
      const pieces = s.split(text(a[0]));
      bounded(s.length + (pieces.length - 1) * (text(a[1]).length - text(a[0]).length), 'replace');
      return pieces.join(text(a[1]));
    });
  },
  plural: (a) => {
    need(a, 3, 'plural');
    return num(a[2]) === 1 ? a[0] : a[1];
  },
  shuffle: (a) => str(text(a[0] ?? NIL)),
  randAlphaNum: (a) => opaque(num(a[0] ?? NIL), 'a'),
  randAlpha: (a) => opaque(num(a[0] ?? NIL), 'a'),
  randAscii: (a) => opaque(num(a[0] ?? NIL), 'a'),
  randNumeric: (a) => opaque(num(a[0] ?? NIL), '0'),
  randSeededNumeric: (a) => opaque(num(a[0] ?? NIL), '0'),
  // ---- Sprig string lists
  join: (a) => {
    need(a, 2, 'join');
    return str(strList(a[1]).join(text(a[0])));
  },
  splitList: (a) => {
    need(a, 2, 'splitList');
    return L(text(a[1]).split(text(a[0])).map((s) => str(s)));
  },
  split: (a) => {
    need(a, 2, 'split');
    const m = new Map<string, Val>();
    text(a[1]).split(text(a[0])).forEach((s, i) => m.set(`_${i}`, str(s)));
    return { k: 'map', v: m };
  },
  splitn: (a) => {
    need(a, 3, 'splitn');
    const [sep, n, s] = [text(a[0]), num(a[1]), text(a[2])];
    const all = s.split(sep);
    const pieces = n > 0 && all.length > n ? [...all.slice(0, n - 1), all.slice(n - 1).join(sep)] : all;
    const m = new Map<string, Val>();
    pieces.forEach((p, i) => m.set(`_${i}`, str(p)));
    return { k: 'map', v: m };
  },
  sortAlpha: (a) => L(strList(a[0] ?? NIL).sort().map((s) => str(s))),
  toStrings: (a) => L(strList(a[0] ?? NIL).map((s) => str(s))),
  // ---- regular expressions
  regexMatch: (a) => {
    need(a, 2, 'regexMatch');
    return B(regex(text(a[0])).test(text(a[1])));
  },
  regexFind: (a) => {
    need(a, 2, 'regexFind');
    return str(regex(text(a[0])).exec(text(a[1]))?.[0] ?? '');
  },
  regexFindAll: (a) => {
    need(a, 3, 'regexFindAll');
    const all = [...text(a[1]).matchAll(regex(text(a[0]), true))].map((m) => str(m[0]));
    const n = num(a[2]);
    return L(n < 0 ? all : all.slice(0, n));
  },
  regexReplaceAll: (a) => {
    need(a, 3, 'regexReplaceAll');
    return str(text(a[1]).replace(regex(text(a[0]), true), goReplacement(text(a[2]))));
  },
  regexReplaceAllLiteral: (a) => {
    need(a, 3, 'regexReplaceAllLiteral');
    return str(text(a[1]).replace(regex(text(a[0]), true), () => text(a[2])));
  },
  regexSplit: (a) => {
    need(a, 3, 'regexSplit');
    const all = text(a[1]).split(regex(text(a[0]), true));
    const n = num(a[2]);
    return L((n < 0 ? all : all.slice(0, n)).map((s) => str(s)));
  },
  regexQuoteMeta: (a) => str(text(a[0] ?? NIL).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')),
};

/** Sprig's wrap: lines broken at spaces to at most `n` characters where a word allows. */
function wrapText(s: string, n: number, nl: string): string {
  const lines: string[] = [];
  for (const para of s.split('\n')) {
    let cur = '';
    for (const w of para.split(' ')) {
      if (cur && cur.length + 1 + w.length > n) {
        lines.push(cur);
        cur = w;
      } else cur = cur ? `${cur} ${w}` : w;
    }
    lines.push(cur);
  }
  return lines.join(nl);
}

// `must…` variants fail where the plain ones return an empty value; here both stop with the same note.
for (const name of ['regexMatch', 'regexFind', 'regexFindAll', 'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit']) TEXT_FUNCS[`must${name[0].toUpperCase()}${name.slice(1)}`] = TEXT_FUNCS[name];
// Sprig's older spellings.
TEXT_FUNCS.trimall = TEXT_FUNCS.trimAll;
