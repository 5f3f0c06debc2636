// The latest matrix from the server, who hears of each new one, and who waits for one that satisfies them.
import type { MatrixDto } from '../../server/src/protocol';

export class MatrixFeed {
  private last?: MatrixDto;
  private waiters: { ready: (m: MatrixDto) => boolean; resolve: (m: MatrixDto) => void }[] = [];
  /** A matrix came as a notification (the one the client asks for at start is then older). */
  notified = false;
  private readonly listeners: ((m: MatrixDto) => void)[] = [];

  latest(): MatrixDto | undefined {
    return this.last;
  }

  /** Hears of every new matrix. */
  listen(listener: (m: MatrixDto) => void): void {
    this.listeners.push(listener);
  }

  update(m: MatrixDto): void {
    this.last = m;
    for (const l of this.listeners) l(m);
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.ready(m)) w.resolve(m);
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Resolves with the next matrix that satisfies `ready` (the current one if it does). */
  when(ready: (m: MatrixDto) => boolean = () => true, timeoutMs = 30000): Promise<MatrixDto> {
    const now = this.last;
    if (now && ready(now)) return Promise.resolve(now);
    return new Promise<MatrixDto>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching matrix within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        ready,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }
}
