// Encodings and opaque values: base64/32, YAML/JSON/TOML both ways, hashes, paths and URLs; random, crypto and time functions give opaque strings.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import { parseAllDocuments } from 'yaml';
import { append, bounded, Cannot, cannotOf, charge, need, num, plainVal, printVal, shifted, text } from './helm-print';
import type { Rich } from './helm-print';
import { NIL, str } from './helm-values';
import type { Part, Val } from './helm-values';
import type { Fn } from './helm-funcs-text';

/** The words go-yaml (v2, which Helm's toYaml uses) reads as a bool, a null or a merge: in these spellings only. */
const YAML_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|<<)$/;
/** What YAML 1.1 would read as a number or a date: go-yaml quotes such strings. */
const YAML_NUMBER = /^([-+]?(\d[\d_]*(\.[\d_]*)?|\.\d+)([eE][-+]?\d+)?|0[xX][\da-fA-F_]+|0[bB][01_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|\d+(:[0-5]?\d)+|\d{4}-\d\d?-\d\d?.*)$/;

/** go-yaml writes these characters only in double quotes (its `is_printable`, `unicode` on). */
const UNPRINTABLE = /[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

/** Whether go-yaml may write `s` plain in block context (its `yaml_emitter_analyze_scalar`, block_plain_allowed). */
function blockPlain(s: string): boolean {
  if (/^[\s]|[\s]$/.test(s) || /^[#,[\]{}&*!|>'"%@`]/.test(s) || /^[-?:](\s|$)/.test(s) || /^(---|\.\.\.)/.test(s)) return false;
  return !/:(\s|$)|\s#/.test(s);
}

/**
 * A string with a line break as go-yaml writes it after `key: ` or `- ` at `indent`: a literal block (`|-` without a
 * final line break, `|` with one, `|+` with more; `|2` when it starts with a space), unless a line ends in a space.
 */
function literal(s: string, parts: Part[], indent: string): Rich | undefined {
  if (/ (\n|$)/.test(s)) return undefined;
  const chomp = !s.endsWith('\n') ? '-' : s === '\n' || s.endsWith('\n\n') ? '+' : '';
  const head = `|${/^[ \n]/.test(s) ? '2' : ''}${chomp}`;
  // Each line on a line of its own at the indentation; an empty line stays empty, as go-yaml writes it.
  const out: Rich = { text: head, parts: [] };
  const pad = `${indent}  `;
  let from = 0;
  for (const line of s.replace(/\n$/, '').split('\n')) {
    append(out, line ? `\n${pad}` : '\n', []);
    append(out, line, shifted(parts, -from, line.length));
    from += line.length + 1;
  }
  return out;
}

/**
 * Scalars as Helm's toYaml (go-yaml) writes them: a string that would read back as another type (`"8080"`,
 * `"true"`, `""`) double-quoted; one with line breaks a literal block where it is a value (`indent` given); else plain
 * where go-yaml allows it, else single-quoted (`'{{ include "x" . }}'`, which `tpl` then reads as helm does), else
 * (a control character, a line ending in a space) double-quoted.
 */
function yamlScalar(v: Val, indent?: string): Rich {
  if (v.k === 'nil') return { text: 'null', parts: [] };
  if (v.k === 'num' || v.k === 'bool') return printVal(v);
  const s = text(v);
  const parts = v.k === 'str' ? (v.parts ?? []) : [];
  const unprintable = UNPRINTABLE.test(s);
  if (s.includes('\n') && indent !== undefined && !unprintable) {
    const block = literal(s, parts, indent);
    if (block) return block;
  }
  if (!s.includes('\n') && !unprintable && s !== '' && !YAML_WORDS.test(s) && !YAML_NUMBER.test(s)) {
    if (blockPlain(s)) return { text: s, parts };
    const q = `'${s.replace(/'/g, "''")}'`;
    return { text: q, parts: q.length === s.length + 2 ? shifted(parts, 1, q.length - 1) : [] };
  }
  const q = JSON.stringify(s);
  return { text: q, parts: q === `"${s}"` ? shifted(parts, 1, q.length - 1) : [] };
}

/** Helm's toYaml: keys sorted, lists at the indentation of their key, no trailing newline. */
function toYaml(v: Val): Val {
  const out: Rich = { text: '', parts: [] };
  const emit = (x: Val, indent: string, inline: boolean): void => {
    charge(1);
    bounded(out.text.length, 'toYaml');
    // `inline`: the value follows `key:` or `- ` on the current line.
    if (x.k === 'map' && x.v.size > 0) {
      let first = true;
      for (const k of [...x.v.keys()].sort()) {
        const child = x.v.get(k) as Val;
        const key = yamlScalar(str(k));
        append(out, `${first && inline ? '' : indent}${key.text}:`, []);
        first = false;
        if (child.k === 'map' && child.v.size > 0) {
          append(out, '\n', []);
          emit(child, `${indent}  `, false);
        } else if (child.k === 'list' && child.v.length > 0) {
          append(out, '\n', []);
          emit(child, indent, false);
        } else {
          append(out, ' ', []);
          emit(child, indent, true);
          append(out, '\n', []);
        }
      }
      return;
    }
    if (x.k === 'list' && x.v.length > 0) {
      for (const item of x.v) {
        append(out, `${indent}- `, []);
        if ((item.k === 'map' && item.v.size > 0) || (item.k === 'list' && item.v.length > 0)) emit(item, `${indent}  `, true);
        else {
          emit(item, indent, true);
          append(out, '\n', []);
        }
      }
      return;
    }
    if (x.k === 'map') return append(out, '{}', []);
    if (x.k === 'list') return append(out, '[]', []);
    if (x.k === 'unknown') throw cannotOf(x);
    const s = yamlScalar(x, indent);
    append(out, s.text, s.parts);
  };
  emit(v, '', true);
  return str(out.text.replace(/\n$/, ''), out.parts.filter((p) => p.from < out.text.replace(/\n$/, '').length));
}

function toJson(v: Val): string {
  let nodes = 0;
  const plain = (x: Val): unknown => {
    charge(1);
    // A value nested on itself (`list $l $l`) is a tree far bigger than its memory: count what is written.
    bounded(++nodes * 2, 'toJson');
    switch (x.k) {
      case 'nil':
        return null;
      case 'list':
        return x.v.map(plain);
      case 'map':
        return Object.fromEntries([...x.v.keys()].sort().map((k) => [k, plain(x.v.get(k) as Val)]));
      case 'unknown':
        throw cannotOf(x);
      default:
        return x.v;
    }
  };
  return JSON.stringify(plain(v));
}
/** JSON as Go's encoding/json writes it: keys sorted; `indent` for toPrettyJson; `raw` leaves <, > and & unescaped. */
function jsonText(v: Val, indent = '', raw = false): string {
  const s = indent ? JSON.stringify(JSON.parse(toJson(v)), null, indent) : toJson(v);
  return raw ? s : s.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** A YAML or JSON document as a value; what does not parse is Helm's `{Error: …}` map (fromYaml) or list (fromYamlArray). */
function fromDoc(src: string, list: boolean): Val {
  const docs = parseAllDocuments(src);
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  const err = doc?.errors[0]?.message;
  if (err) return list ? { k: 'list', v: [str(err)] } : plainVal({ Error: err });
  const v = plainVal(doc?.toJSON() ?? null);
  if (list) return v.k === 'list' ? v : { k: 'list', v: [str('error unmarshaling JSON: json: cannot unmarshal object into Go value of type []interface {}')] };
  return v.k === 'map' ? v : plainVal({});
}

/** Helm's fromToml: a TOML document as a dict; what does not parse is `{Error: …}`. */
function fromToml(src: string): Val {
  try {
    return plainVal(getStaticTOMLValue(parseTOML(src)));
  } catch (e) {
    return plainVal({ Error: (e as Error).message });
  }
}

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function tomlScalar(v: Val): string {
  if (v.k === 'str') return JSON.stringify(v.v);
  if (v.k === 'list') return `[${v.v.map(tomlScalar).join(', ')}]`;
  if (v.k === 'map') return `{${[...v.v.keys()].sort().map((k) => `${tomlKey(k)} = ${tomlScalar(v.v.get(k) as Val)}`).join(', ')}}`;
  if (v.k === 'unknown') throw cannotOf(v);
  return printVal(v).text;
}

/** Helm's toToml (BurntSushi/toml): plain keys first, then each table under its dotted header. */
function toToml(v: Val, path: string[] = []): string {
  if (v.k !== 'map') return tomlScalar(v);
  charge(1);
  const keys = [...v.v.keys()].sort();
  const plain = keys.filter((k) => (v.v.get(k) as Val).k !== 'map' && (v.v.get(k) as Val).k !== 'nil');
  const tables = keys.filter((k) => (v.v.get(k) as Val).k === 'map');
  let out = plain.map((k) => `${tomlKey(k)} = ${tomlScalar(v.v.get(k) as Val)}\n`).join('');
  for (const k of tables) {
    const sub = [...path, tomlKey(k)];
    out += `${out ? '\n' : ''}[${sub.join('.')}]\n${toToml(v.v.get(k) as Val, sub)}`;
  }
  return out;
}

function hash(alg: string, v: Val): Val {
  return str(createHash(alg).update(text(v), 'utf8').digest('hex'));
}

/** Adler-32 of the UTF-8 bytes, as Go's hash/adler32 (decimal). */
function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(buf: Buffer): string {
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of buf) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function unbase32(s: string): string {
  let bits = 0;
  let acc = 0;
  const bytes: number[] = [];
  for (const c of s.replace(/=+$/, '')) {
    const i = B32.indexOf(c);
    if (i < 0) return '';
    acc = ((acc << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((acc >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Sprig's urlParse: the parts of a URL as a dict. */
function urlParse(s: string): Val {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new Cannot(`${JSON.stringify(s)} is not a URL`);
  }
  const userinfo = u.username ? `${decodeURIComponent(u.username)}${u.password ? `:${decodeURIComponent(u.password)}` : ''}` : '';
  return plainVal({ scheme: u.protocol.replace(/:$/, ''), host: u.host, hostname: u.hostname, path: decodeURIComponent(u.pathname), query: u.search.replace(/^\?/, ''), opaque: '', fragment: u.hash.replace(/^#/, ''), userinfo });
}

function urlJoin(d: Val): Val {
  if (d.k !== 'map') throw new Cannot('urlJoin needs a dict');
  const g = (k: string): string => text(d.v.get(k) ?? NIL);
  const auth = g('host') ? `//${g('userinfo') ? `${g('userinfo')}@` : ''}${g('host')}` : '';
  return str(`${g('scheme') ? `${g('scheme')}:` : ''}${auth}${g('path')}${g('query') ? `?${g('query')}` : ''}${g('fragment') ? `#${g('fragment')}` : ''}`);
}

/** An opaque string: what a random, secret or time function returns is never known before install; it stands in with its shape. */
const OPAQUE = (what: string): Val => str(`opaque-${what}`);
const opaqueFn = (what: string): Fn => () => OPAQUE(what);
/** A certificate as genCA and its kin return it: `.Cert` and `.Key`, both opaque. */
const CERT: Fn = () => plainVal({ Cert: 'opaque-certificate', Key: 'opaque-private-key' });

export const ENCODING_FUNCS: Record<string, Fn> = {
  b64enc: (a) => str(Buffer.from(text(a[0] ?? NIL), 'utf8').toString('base64')),
  b64dec: (a) => str(Buffer.from(text(a[0] ?? NIL), 'base64').toString('utf8')),
  b32enc: (a) => str(base32(Buffer.from(text(a[0] ?? NIL), 'utf8'))),
  b32dec: (a) => str(unbase32(text(a[0] ?? NIL))),
  toYaml: (a) => toYaml(a[0] ?? NIL),
  toYamlPretty: (a) => toYaml(a[0] ?? NIL),
  fromYaml: (a) => fromDoc(text(a[0] ?? NIL), false),
  fromYamlArray: (a) => fromDoc(text(a[0] ?? NIL), true),
  toJson: (a) => str(jsonText(a[0] ?? NIL)),
  toRawJson: (a) => str(jsonText(a[0] ?? NIL, '', true)),
  toPrettyJson: (a) => str(jsonText(a[0] ?? NIL, '  ')),
  fromJson: (a) => fromDoc(text(a[0] ?? NIL), false),
  fromJsonArray: (a) => fromDoc(text(a[0] ?? NIL), true),
  toToml: (a) => str(toToml(a[0] ?? NIL)),
  fromToml: (a) => fromToml(text(a[0] ?? NIL)),
  sha1sum: (a) => hash('sha1', a[0] ?? NIL),
  sha256sum: (a) => hash('sha256', a[0] ?? NIL),
  adler32sum: (a) => str(String(adler32(text(a[0] ?? NIL)))),
  // ---- paths (slash-separated, as Go's path)
  base: (a) => str(posix.basename(text(a[0] ?? NIL)) || '.'),
  dir: (a) => str(posix.dirname(text(a[0] ?? NIL))),
  clean: (a) => str(posix.normalize(text(a[0] ?? NIL)).replace(/(.)\/$/, '$1')),
  ext: (a) => str(posix.extname(text(a[0] ?? NIL))),
  isAbs: (a) => ({ k: 'bool', v: posix.isAbsolute(text(a[0] ?? NIL)) }),
  // ---- URLs
  urlParse: (a) => urlParse(text(a[0] ?? NIL)),
  urlJoin: (a) => urlJoin(a[0] ?? NIL),
  // ---- opaque: random, secrets, certificates, time
  uuidv4: () => str('00000000-0000-4000-8000-000000000000'),
  hello: () => str('Hello!'),
  randBytes: (a) => str(Buffer.alloc(Math.max(0, Math.min(num(a[0] ?? NIL), 10000))).toString('base64')),
  bcrypt: opaqueFn('bcrypt-hash'),
  htpasswd: (a) => {
    need(a, 2, 'htpasswd');
    return str(`${text(a[0])}:opaque-bcrypt-hash`);
  },
  derivePassword: opaqueFn('password'),
  encryptAES: opaqueFn('aes-ciphertext'),
  decryptAES: opaqueFn('aes-plaintext'),
  genPrivateKey: opaqueFn('private-key'),
  genCA: CERT,
  genCAWithKey: CERT,
  genSelfSignedCert: CERT,
  genSelfSignedCertWithKey: CERT,
  genSignedCert: CERT,
  genSignedCertWithKey: CERT,
  buildCustomCert: CERT,
  now: opaqueFn('time'),
  date: opaqueFn('date'),
  dateInZone: opaqueFn('date'),
  dateModify: opaqueFn('time'),
  toDate: opaqueFn('time'),
  unixEpoch: opaqueFn('epoch'),
  ago: opaqueFn('duration'),
  duration: opaqueFn('duration'),
  durationRound: opaqueFn('duration'),
  htmlDate: opaqueFn('date'),
  htmlDateInZone: opaqueFn('date'),
};

// Sprig's `must…` variants and older spellings.
for (const [alias, name] of Object.entries({ mustToYaml: 'toYaml', mustToJson: 'toJson', mustToRawJson: 'toRawJson', mustToPrettyJson: 'toPrettyJson', mustFromJson: 'fromJson', mustDateModify: 'dateModify', mustToDate: 'toDate', date_modify: 'dateModify', date_in_zone: 'dateInZone', must_date_modify: 'dateModify', osBase: 'base', osDir: 'dir', osClean: 'clean', osExt: 'ext', osIsAbs: 'isAbs' })) {
  ENCODING_FUNCS[alias] = ENCODING_FUNCS[name];
}

export type { Rich };
