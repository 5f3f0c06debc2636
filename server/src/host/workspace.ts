// Reads a workspace from disk (the CLI's folders and the language server's workspace folders): the files the core reads, skipping node_modules, .git and what .gitignore ignores.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { CONFIG_FILES, defaultConfig, isIgnored, kindOfPath, parseConfig } from '../core';
import type { Config, Problem, SourceFile, Unread } from '../core';
import { ioReason } from './errors';
import { inside, readRegularFile, realRoot } from './read';
import { ARCHIVE_LIMITS, isChartArchive, readChartArchive } from './archive';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.terraform', '.venv', '__pycache__']);

export interface Workspace {
  root: string;
  files: SourceFile[];
  config: Config;
  configProblems: Problem[];
  /**
   * Files (and folders: `folder`) passed over, with why (too large, unreadable, a symbolic link, a name
   * that is not UTF-8). `readThere`: a link to a file of the folder that is read at its own path.
   */
  skipped: Skip[];
  /** Why the folder itself cannot be listed (`permission denied`): nothing in it was checked. */
  unreadable?: string;
}

/** A path the walk passed over, and why (the core's `Unread`). */
export type Skip = Unread;

/** Is this path one the core reads (or the kustomizations that name patches)? */
export function isWanted(rel: string): boolean {
  return kindOfPath(rel) !== undefined;
}

export function loadConfig(root: string, configPath?: string): { config: Config; problems: Problem[] } {
  const candidates = configPath ? [configPath] : CONFIG_FILES.map((f) => join(root, f));
  let rootReal: string | undefined;
  for (const file of candidates) {
    let text: string;
    try {
      // A config the user named is read where it is; the workspace's own is read like its other files.
      const read = configPath ? { text: readFileSync(file, 'utf8') } : readRegularFile(file, rootReal ??= realRoot(root), Number.MAX_SAFE_INTEGER);
      if ('missing' in read && read.missing) continue;
      if ('skipped' in read) throw new Error(`${toPosix(relative(root, file))}: ${read.skipped}`);
      text = read.text;
    } catch (e) {
      // No folder at all: the walk says so.
      if (!configPath && (e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { config: defaultConfig(), problems: [{ message: `cannot read config: ${(e as Error).message}`, loc: { file: configPath ?? toPosix(relative(root, file)), start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 } }] };
    }
    const rel = toPosix(relative(root, file)) || file;
    return parseConfig(rel.startsWith('..') ? file : rel, text);
  }
  return { config: defaultConfig(), problems: [] };
}

export function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** A file's text through the safe reader; what it cannot read (a link swapped in, a FIFO) throws. */
function readText(full: string, rootReal: string): string {
  const read = readRegularFile(full, rootReal, Number.MAX_SAFE_INTEGER);
  if ('text' in read) return read.text;
  throw new Error(read.skipped);
}

/** A folder entry; `name` escaped (`\xff`) when the bytes are not UTF-8, and then `badName`. */
interface Entry {
  name: string;
  badName: boolean;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

function listDir(dir: string): Entry[] {
  return readdirSync(dir, { encoding: 'buffer', withFileTypes: true }).map((d) => {
    const raw = d.name as unknown as Buffer;
    const text = raw.toString('utf8');
    const badName = !Buffer.from(text, 'utf8').equals(raw);
    return { name: badName ? escapeBytes(raw) : text, badName, isFile: () => d.isFile(), isDirectory: () => d.isDirectory(), isSymbolicLink: () => d.isSymbolicLink() };
  });
}

/** The name with each byte that is not part of a UTF-8 character (and each control character) as `\xNN`. */
function escapeBytes(b: Buffer): string {
  let out = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    const seq = n && i + n <= b.length ? b.subarray(i, i + n) : undefined;
    const s = seq?.toString('utf8');
    if (seq && s !== undefined && !s.includes('\ufffd') && Buffer.from(s, 'utf8').equals(seq) && c >= 0x20 && c !== 0x7f) {
      out += s;
      i += n;
      continue;
    }
    out += `\\x${c.toString(16).padStart(2, '0')}`;
    i++;
  }
  return out;
}

/** Whether a symbolic link names a folder (its target's kind only; nothing is read through it). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The workspace's own name: its package.json `name` (without an `@scope/`), else its folder's. */
export function workspaceName(root: string): string | undefined {
  try {
    const read = readRegularFile(join(root, 'package.json'), realRoot(root), 1024 * 1024);
    const name = 'text' in read && typeof read.text === 'string' ? (JSON.parse(read.text) as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && /^(@[\w.-]+\/)?[a-z0-9][\w.-]*$/i.test(name)) return name.replace(/^@[^/]+\//, '').toLowerCase();
  } catch {
    // No package.json, or not JSON: the folder's name.
  }
  const base = posix.basename(toPosix(root));
  return base && /^[\w.+-]+$/.test(base) ? base.toLowerCase() : undefined;
}

/** The workspace path of the file a link resolves to, if it lies in the folder (only the link is resolved, nothing read). */
function linkedFile(link: string, rootReal: string): string | undefined {
  try {
    const real = realpathSync.native(link);
    return inside(real, rootReal) && statSync(real).isFile() ? toPosix(relative(rootReal, real)) : undefined;
  } catch {
    return undefined;
  }
}

/** A link to a file the walk read at its own path is said as such; any other keeps no `readThere`. */
function linksReadThere(skipped: Skip[], files: SourceFile[]): Skip[] {
  const read = new Set(files.map((f) => f.path));
  return skipped.map((s) => {
    if (s.readThere === undefined) return s;
    const { readThere, ...rest } = s;
    return read.has(readThere) ? { ...rest, readThere, reason: `a symbolic link to ${readThere}, read there: not followed` } : rest;
  });
}

/**
 * A chart archive's files (`chart/charts/redis-1.2.3.tgz/redis/templates/x.yaml`), those the core reads;
 * a broken or oversized archive (or a member past the size limit) is a skip with why, at its path.
 */
export function readArchive(full: string, rel: string, rootReal: string, maxFileSize: number): { files: SourceFile[]; skipped: Skip[] } {
  // Only a chart's charts/ holds subcharts (a folder of packaged charts elsewhere is a chart repository's).
  if (!('text' in readRegularFile(join(dirname(dirname(full)), 'Chart.yaml'), rootReal, 1024 * 1024))) return { files: [], skipped: [] };
  const read = readRegularFile(full, rootReal, ARCHIVE_LIMITS.compressed);
  if (!('bytes' in read)) return { files: [], skipped: 'missing' in read && read.missing ? [] : [{ path: rel, reason: read.skipped.startsWith('larger than') ? `a chart archive ${read.skipped}` : read.skipped, regular: true }] };
  const got = readChartArchive(rel, read.bytes, isWanted, maxFileSize);
  if ('skipped' in got) return { files: [], skipped: [{ path: rel, reason: got.skipped, regular: true }] };
  return { files: got.files, skipped: got.tooLarge.map((p) => ({ path: p, reason: `larger than ${maxFileSize} bytes`, regular: true })) };
}

/** Walks `root`; `.gitignore` files apply to their folder and below, as git applies them. */
export function readWorkspace(root: string, configPath?: string): Workspace {
  const loaded = loadConfig(root, configPath);
  const { problems } = loaded;
  const config: Config = { ...loaded.config, name: workspaceName(root) };
  const ignoredByConfig = isIgnored(config);
  const files: SourceFile[] = [];
  const skipped: Skip[] = [];
  let unreadable: string | undefined;
  const walk = (dir: string, rules: { base: string; ig: Ignore }[]): void => {
    let entries: Entry[];
    try {
      entries = listDir(dir);
    } catch (e) {
      // The root itself: nothing can be checked, which the CLI makes an error, not "0 files".
      if (dir === root) unreadable = ioReason(e);
      skipped.push({ path: toPosix(relative(root, dir)) || '.', reason: `cannot read: ${ioReason(e)}`, folder: true });
      return;
    }
    const relDir = toPosix(relative(root, dir));
    let here = rules;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        here = [...rules, { base: relDir, ig: ignore().add(readText(join(dir, '.gitignore'), rootReal)) }];
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    const gitIgnored = (rel: string, isDir: boolean): boolean =>
      here.some(({ base, ig }) => {
        const sub = base ? posix.relative(base, rel) : rel;
        return sub !== '' && !sub.startsWith('..') && ig.ignores(isDir ? `${sub}/` : sub);
      });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory() && !e.badName) {
        if (ALWAYS_SKIPPED.has(e.name) || gitIgnored(rel, true) || ignoredByConfig(rel) || ignoredByConfig(`${rel}/`)) continue;
        walk(join(dir, e.name), here);
        continue;
      }
      if (!e.isFile() || e.badName) {
        // Never followed, never read; said when it is something the walk would have read.
        const folder = e.isSymbolicLink() ? isFolder(join(dir, e.name)) : e.isDirectory();
        const wanted = folder ? !ALWAYS_SKIPPED.has(e.name) && !gitIgnored(rel, true) && !ignoredByConfig(`${rel}/`) : isWanted(rel) && !gitIgnored(rel, false) && !ignoredByConfig(rel);
        if (wanted && e.badName) skipped.push({ path: rel, reason: `the ${folder ? 'folder' : 'file'} name is not valid UTF-8: not read`, folder });
        else if (wanted && e.isSymbolicLink()) {
          const there = folder ? undefined : linkedFile(join(dir, e.name), rootReal);
          skipped.push({ path: rel, reason: `a symbolic link${folder ? ' to a folder' : ''}: not followed`, folder, ...(there ? { readThere: there } : {}) });
        }
        continue;
      }
      if (!isWanted(rel) || gitIgnored(rel, false) || ignoredByConfig(rel)) continue;
      if (kindOfPath(rel) === 'helm-archive') {
        // A chart archive is read as the files it holds, only where helm loads one (a chart's charts/).
        if (isChartArchive(rel)) {
          const got = readArchive(join(dir, e.name), rel, rootReal, config.maxFileSize);
          files.push(...got.files);
          skipped.push(...got.skipped);
        }
        continue;
      }
      const read = readRegularFile(join(dir, e.name), rootReal, config.maxFileSize);
      if ('text' in read) files.push({ path: rel, text: read.text });
      else skipped.push({ path: rel, reason: read.skipped, regular: true });
    }
  };
  // The folder the user named may itself be a link (it is their choice); nothing below it is followed.
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  const rootReal = realRoot(root);
  walk(root, []);
  return { root, files, config, configProblems: problems, skipped: linksReadThere(skipped, files), unreadable };
}
