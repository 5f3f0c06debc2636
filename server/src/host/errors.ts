// File system errors in words, for one line of output: what went wrong, never a stack or syscall noise.

/** An I/O failure in words: the errno's meaning, else the system's message without its code and path. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded', EISDIR: 'it is a directory', ENOTDIR: 'a part of its path is not a directory', ENOENT: 'no such file',
    ELOOP: 'it is a symbolic link', EBUSY: 'it is busy', ETXTBSY: 'it is busy', EIO: 'input/output error', EMFILE: 'too many open files',
  };
  if (code && words[code]) return words[code];
  // `ENOTEMPTY: directory not empty, rmdir '/x'` says `directory not empty`.
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

/** Whether `e` is an error from the file system (it carries an errno code), as opposed to a bug. */
export function isIoError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}
