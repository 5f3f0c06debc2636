// Reading a file to rewrite and writing it back safely: only a regular file inside the folder, never through
// a symbolic link, only if it still holds the bytes that were read, through a temporary file and a rename.
import { accessSync, closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { archiveOf } from '../core';
import { ioReason } from './errors';
import { inside, readRegularFile, realRoot } from './read';

/** Why the path cannot be rewritten, or undefined: it is a regular file, inside `realRoot`, reached without a link. */
function refusal(realRoot: string, full: string, st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'it is a symbolic link (never followed)';
  if (!st.isFile()) return 'it is not a regular file';
  let dir: string;
  try {
    dir = realpathSync(dirname(full));
  } catch (e) {
    return ioReason(e);
  }
  if (!inside(dir, realRoot)) return 'it is outside the checked folder (through a linked directory)';
  return undefined;
}

export { realRoot };

/**
 * The bytes of `full` through the one safe reader (host/read.ts): opened without following a link or
 * blocking on a FIFO, the descriptor checked to be the regular file the lstat saw, inside the folder.
 */
function readExact(full: string, realRootPath: string): Buffer {
  const read = readRegularFile(full, realRootPath, Number.MAX_SAFE_INTEGER);
  if ('bytes' in read) return read.bytes;
  throw Object.assign(new Error(`it changed while it was opened (${read.skipped})`), { code: 'ECHANGED' });
}

export type Opened = { bytes: Buffer } | { error: string };

/**
 * Reads a file that is to be rewritten: a regular file inside the folder, reached without a link, that
 * this process may write (and whose folder it may write, for the temporary file) unless `write` is false.
 */
export function openForRewrite(realRootPath: string, rel: string, write = true): Opened {
  // A file the host read out of a chart archive is not on the disk: it is never written.
  const archive = archiveOf(rel);
  if (archive !== undefined) return { error: `it is inside the chart archive ${archive} (what helm packed is never edited)` };
  const full = join(realRootPath, ...rel.split('/'));
  try {
    const st = lstatSync(full);
    const no = refusal(realRootPath, full, st);
    if (no) return { error: no };
    if (write) {
      accessSync(full, constants.W_OK);
      accessSync(dirname(full), constants.W_OK);
    }
    return { bytes: readExact(full, realRootPath) };
  } catch (e) {
    return { error: ioReason(e) };
  }
}

/**
 * Replaces the file with `next` if it still holds exactly `expected` (else says why not): a temporary file
 * beside it (same mode, and owner when possible) is renamed over it, which replaces a link put there since,
 * never what it points at. Returns undefined on success, else the reason in words.
 */
export function rewriteFile(realRootPath: string, rel: string, expected: Buffer, next: Buffer): string | undefined {
  const full = join(realRootPath, ...rel.split('/'));
  let tmp: string | undefined;
  try {
    const st = lstatSync(full);
    const no = refusal(realRootPath, full, st);
    if (no) return `${no}; it was a regular file when it was read`;
    if (!readExact(full, realRootPath).equals(expected)) return 'it changed on disk since it was read';
    const mode = st.mode & 0o7777;
    tmp = join(dirname(full), `.${basename(full)}.port-parity-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
    try {
      let off = 0;
      while (off < next.length) off += writeSync(fd, next, off, next.length - off);
      try {
        fchownSync(fd, st.uid, st.gid);
      } catch {
        // Only the owner or root may give a file away; a file of this user keeps its owner anyway.
      }
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, full);
    tmp = undefined;
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ECHANGED' ? (e as Error).message : ioReason(e);
  } finally {
    if (tmp) {
      try {
        unlinkSync(tmp);
      } catch {
        // Nothing was created, or it is gone already.
      }
    }
  }
}


/**
 * Creates a new file inside the folder (never one that exists, never through a link: O_EXCL and
 * O_NOFOLLOW, its folder's real path inside the folder). Returns undefined on success, else the reason.
 */
export function createFile(realRootPath: string, rel: string, bytes: Buffer): string | undefined {
  const full = join(realRootPath, ...rel.split('/'));
  try {
    if (!inside(realpathSync(dirname(full)), realRootPath)) return 'it is outside the checked folder (through a linked directory)';
    const fd = openSync(full, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists already (created meanwhile)' : ioReason(e);
  }
}

/**
 * Writes a file this tool owns: creates it, or replaces it only when it starts with `header` (a file
 * port-parity wrote), never through a link, never outside the folder. Undefined on success, else why not.
 */
export function writeOwnFile(realRootPath: string, rel: string, text: string, header: string): string | undefined {
  const full = join(realRootPath, ...rel.split('/'));
  let exists = true;
  try {
    lstatSync(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return ioReason(e);
    exists = false;
  }
  if (!exists) return createFile(realRootPath, rel, Buffer.from(text));
  const opened = openForRewrite(realRootPath, rel);
  if ('error' in opened) return opened.error;
  if (!opened.bytes.toString('utf8').startsWith(header)) return `it exists and port-parity did not write it (it does not start with "${header}"): not overwritten`;
  if (opened.bytes.toString('utf8') === text) return undefined;
  return rewriteFile(realRootPath, rel, opened.bytes, Buffer.from(text));
}
