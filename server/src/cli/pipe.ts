// A reader that closes early (`port-parity rules | head -5`) ends the CLI quietly, as it ends a Unix tool.

/** The status a shell reports for a tool ended by SIGPIPE (128 + 13); Node ignores the signal itself. */
export const EXIT_CLOSED_PIPE = 141;

/**
 * Exits with EXIT_CLOSED_PIPE, printing nothing, when stdout or stderr is a pipe whose reader has gone
 * (EPIPE); any other error on them is one line on stderr and exit 2, never a stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') process.exit(EXIT_CLOSED_PIPE);
    try {
      process.stderr.write(`port-parity: cannot write the output: ${e.message}\n`);
    } finally {
      process.exit(2);
    }
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}
