// A chart archive (`charts/redis-17.3.2.tgz`, what `helm dependency build` leaves) read in memory: gunzip,
// then a small ustar/pax/GNU tar reader. Nothing is ever written, so an entry's name cannot reach the disk;
// every size is bounded. Its chart files become SourceFiles at `<archive path>/<entry path>`.
import { gunzipSync } from 'node:zlib';
import type { SourceFile } from '../core';

/** What one archive may cost: compressed and uncompressed bytes, entries, and archives inside archives. */
export interface ArchiveLimits {
  compressed: number;
  uncompressed: number;
  entries: number;
  depth: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = { compressed: 10 * 1024 * 1024, uncompressed: 50 * 1024 * 1024, entries: 10000, depth: 3 };

/** The archive's files (at `<at>/<entry>`), or why it cannot be read. */
export type ArchiveRead = { files: SourceFile[]; tooLarge: string[] } | { skipped: string };

interface Entry {
  name: string;
  data: Buffer;
}

/** Whether a path is a chart archive helm loads as a subchart: a `.tgz` in a chart's `charts/` folder. */
export function isChartArchive(rel: string): boolean {
  const parts = rel.split('/');
  return parts.length >= 2 && /\.tgz$/i.test(parts[parts.length - 1]) && parts[parts.length - 2] === 'charts';
}

/**
 * The files of a gzipped tar at workspace path `at` that `wanted` keeps, entries inside archives nested
 * in its `charts/` folders expanded too (helm loads those). Any fault is a reason, never a throw.
 */
export function readChartArchive(at: string, bytes: Buffer, wanted: (rel: string) => boolean, maxFileSize: number, limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveRead {
  const budget: Budget = { bytes: limits.uncompressed, entries: limits.entries, maxEntries: limits.entries, maxFileSize, tooLarge: [] };
  try {
    return { files: expand(at, bytes, wanted, limits, budget, 0), tooLarge: budget.tooLarge };
  } catch (e) {
    return { skipped: e instanceof ArchiveError ? e.message : `not a readable chart archive (${(e as Error).message})` };
  }
}

class ArchiveError extends Error {}

/** What is left to spend, shared by an archive and those inside it; members past the file size limit. */
interface Budget {
  bytes: number;
  entries: number;
  maxEntries: number;
  maxFileSize: number;
  tooLarge: string[];
}

function expand(at: string, bytes: Buffer, wanted: (rel: string) => boolean, limits: ArchiveLimits, budget: Budget, depth: number): SourceFile[] {
  if (bytes.length > limits.compressed) throw new ArchiveError(`a chart archive larger than ${limits.compressed} bytes`);
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: Math.max(1, budget.bytes) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ArchiveError(`a chart archive that unpacks to more than ${limits.uncompressed} bytes`);
    throw new ArchiveError(`not a readable gzip archive (${(e as Error).message})`);
  }
  budget.bytes -= tar.length;
  const out: SourceFile[] = [];
  for (const e of tarEntries(tar, budget)) {
    const name = cleanName(e.name);
    if (name === undefined) throw new ArchiveError(`a chart archive whose entry ${JSON.stringify(e.name.slice(0, 120))} leaves its folder`);
    const path = `${at}/${name}`;
    if (isChartArchive(name) && name.split('/').length === 3) {
      // `top/charts/sub.tgz`: a subchart of the archived chart, as helm loads it.
      if (depth + 1 >= limits.depth) throw new ArchiveError(`chart archives nested more than ${limits.depth} deep`);
      out.push(...expand(path, e.data, wanted, limits, budget, depth + 1));
      continue;
    }
    if (!wanted(path)) continue;
    if (e.data.length > budget.maxFileSize) {
      budget.tooLarge.push(path);
      continue;
    }
    const text = e.data.toString('utf8');
    out.push({ path, text });
  }
  return out;
}

/** An entry's name as a relative path with no `.`/`..`/empty parts; undefined when it would leave the archive's folder. */
function cleanName(raw: string): string | undefined {
  const parts: string[] = [];
  for (const p of raw.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') return undefined;
    parts.push(p);
  }
  if (raw.startsWith('/') || parts.length === 0) return undefined;
  return parts.join('/');
}

/** A NUL-terminated field of a header. */
function field(b: Buffer, from: number, len: number): string {
  const s = b.subarray(from, from + len);
  const nul = s.indexOf(0);
  return s.subarray(0, nul < 0 ? s.length : nul).toString('utf8');
}

/** An octal (or base-256, GNU) number field. */
function number(b: Buffer, from: number, len: number): number {
  if (b[from] & 0x80) {
    let n = 0;
    for (let i = from + 1; i < from + len; i++) n = n * 256 + b[i];
    return n;
  }
  const s = field(b, from, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new ArchiveError(`a tar header with a bad number field (${JSON.stringify(s.slice(0, 20))})`);
  return parseInt(s, 8);
}

/** The pax records of an extended header (`len key=value\n`). */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.subarray(i, sp).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0 || i + len > data.length) throw new ArchiveError('a tar pax header that does not parse');
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

/** The regular files of a tar (ustar, pax and GNU long names), in order; other entries are passed over. */
function tarEntries(tar: Buffer, budget: Budget): Entry[] {
  const out: Entry[] = [];
  let at = 0;
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((x) => x === 0)) break;
    if (--budget.entries < 0) throw new ArchiveError(`a chart archive with more than ${budget.maxEntries} entries`);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (sum !== number(h, 148, 8)) throw new ArchiveError('a tar header whose checksum does not match (a broken archive?)');
    const size = number(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const dataAt = at + 512;
    if (dataAt + Math.ceil(size / 512) * 512 > tar.length) throw new ArchiveError('a tar entry cut short (a truncated archive?)');
    const data = tar.subarray(dataAt, dataAt + size);
    at = dataAt + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'g' || type === 'K') continue;
    const prefix = h.subarray(257, 262).toString('ascii') === 'ustar' ? field(h, 345, 155) : '';
    const name = pax?.get('path') ?? longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = undefined;
    pax = undefined;
    // Regular files only (helm's loader passes over folders and links too).
    if (type === '0' || type === '7') out.push({ name, data });
  }
  if (at < tar.length && at + 512 > tar.length) throw new ArchiveError('a tar entry cut short (a truncated archive?)');
  return out;
}
