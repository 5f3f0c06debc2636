// Reads workspace files for both entry points: regular files only, inside the folder, never through a link.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { ioReason } from './errors';

/** A file read, or why it was not: `missing` when nothing is there (a deleted file is no news). */
export type ReadResult = { text: string; bytes: Buffer } | { skipped: string; missing?: boolean };

// O_NOFOLLOW refuses a link in the last component; O_NONBLOCK keeps a FIFO swapped in after the lstat from
// blocking the open (Windows has neither: 0).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Why a path that is not a regular file is not read. */
function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isSymbolicLink()) return 'a symbolic link, not followed';
  if (st.isFIFO()) return 'a FIFO (named pipe), not a regular file';
  if (st.isSocket()) return 'a socket, not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device, not a regular file';
  if (st.isDirectory()) return 'a directory, not a regular file';
  return 'not a regular file';
}

/** Whether the real path `real` is `realRoot` or lies under it. */
export const inside = (real: string, realRoot: string): boolean => real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);

/** The real path of the workspace folder, which every file read must lie under. */
export function realRoot(root: string): string {
  return realpathSync.native(root);
}

/** Where an open descriptor really is, where the system says (Linux's /proc); undefined elsewhere. */
function pathOfFd(fd: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function message(e: unknown): ReadResult {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { skipped: 'no such file', missing: true };
  if (err.code === 'ELOOP') return { skipped: 'a symbolic link, not followed' };
  return { skipped: ioReason(e) };
}

/**
 * Reads `full` when it is a regular file under `rootReal` (from `realRoot`) of at most `maxSize` bytes.
 * The lstat rejects links, FIFOs, sockets and devices without opening them; the file is then opened
 * without following a link and without blocking, and the descriptor itself must be the same regular file
 * the lstat saw (the path may have been swapped in between), lying in the folder: where the system says
 * the descriptor is (Linux), else where the path's folder resolves to after the open.
 */
export function readRegularFile(full: string, rootReal: string, maxSize: number): ReadResult {
  let seen: Stats;
  try {
    seen = lstatSync(full);
    const why = notRegular(seen);
    if (why) return { skipped: why };
    if (seen.size > maxSize) return { skipped: `larger than ${maxSize} bytes` };
  } catch (e) {
    return message(e);
  }
  let fd: number;
  try {
    fd = openSync(full, OPEN_FLAGS);
  } catch (e) {
    return message(e);
  }
  try {
    const st = fstatSync(fd);
    const why = notRegular(st);
    if (why) return { skipped: why };
    if (st.dev !== seen.dev || st.ino !== seen.ino) return { skipped: 'replaced while being read, not read' };
    const at = pathOfFd(fd) ?? join(realpathSync.native(dirname(full)), basename(full));
    if (!inside(at, rootReal)) return { skipped: 'outside the workspace folder (through a linked folder), not read' };
    if (st.size > maxSize) return { skipped: `larger than ${maxSize} bytes` };
    const bytes = readAtMost(fd, st.size, maxSize);
    if (!bytes) return { skipped: `larger than ${maxSize} bytes` };
    return { text: bytes.toString('utf8'), bytes };
  } catch (e) {
    return message(e);
  } finally {
    closeSync(fd);
  }
}

/** The descriptor's bytes, or undefined past `maxSize` (a file growing while it is read stops there). */
function readAtMost(fd: number, size: number, maxSize: number): Buffer | undefined {
  const cap = maxSize + 1;
  let buf = Buffer.allocUnsafe(Math.max(1, Math.min(size + 1, cap)));
  let n = 0;
  while (n < cap) {
    if (n === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, cap));
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    const r = readSync(fd, buf, n, buf.length - n, null);
    if (r === 0) break;
    n += r;
  }
  return n > maxSize ? undefined : buf.subarray(0, n);
}
