// When the language server evaluates: after a pause in edits, in steps that let requests through, and never for a stale state.
import type { Folder } from './folder';

const DEBOUNCE_MS = 200;
/** How long render steps run before the server lets requests through. */
const SLICE_MS = 20;

/** What the runs tell the server: its log, its error log, and "publish what the folders hold now". */
export interface RunHost {
  log(msg: string): void;
  /** Routine lines (each evaluation, each render run): the client's debug level, hidden by default. */
  debug(msg: string): void;
  error(msg: string): void;
  publish(): void;
}

/**
 * Evaluation runs. A run renders what the folders' charts need first, one chart environment per step,
 * with turns of the event loop between steps once they have run for SLICE_MS, so that requests are
 * answered meanwhile from the last complete analysis (a folder's analysis, tokens and references
 * change only in its evaluate(), which runs after the steps, at once). An edit or another run stops a
 * run at its next pause: what it rendered stays in the folder's memo, its folders not yet evaluated
 * go back to the queue, and it publishes nothing, so a superseded run's diagnostics never follow a
 * newer run's. Each run renders at least one step before it can be stopped, so edits elsewhere never
 * starve a check.
 */
export class Runs {
  /** Counts runs and edits: a run that sees another number than its own was superseded. */
  private generation = 0;
  private readonly dirty = new Set<Folder>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly folders: Folder[], private readonly host: RunHost) {}

  /** Coalesces bursts of edits: one re-evaluation per quiet period, whatever the number of changes. */
  schedule(f: Folder, delay = DEBOUNCE_MS): void {
    // A run under way stops at its next step: this edit makes its result stale.
    this.generation++;
    this.dirty.add(f);
    this.arm(delay);
  }

  /** The folder left the workspace. */
  forget(f: Folder): void {
    this.dirty.delete(f);
  }

  /** Evaluates the folders and publishes, unless an edit or another run comes first (see the class). */
  async evaluate(targets: Iterable<Folder>): Promise<void> {
    const mine = ++this.generation;
    const queue = [...targets];
    while (queue.length) {
      const f = queue[0];
      try {
        const t0 = Date.now();
        let n = 0;
        let slice = t0;
        const steps = f.steps();
        while (!steps.next().done) {
          if (++n === 1) this.host.debug(`rendering the charts of ${f.root} in steps`);
          // Steps run back to back for a short slice (an ordinary chart renders in a few ms): no pause then.
          if (Date.now() - slice < SLICE_MS) continue;
          // A request that came during the step takes three hops through setImmediate in vscode-jsonrpc
          // (read, dispatch, write): the fourth turn of the event loop finds it answered.
          for (let turn = 0; turn < 4; turn++) await new Promise(setImmediate);
          slice = Date.now();
          if (mine !== this.generation) {
            this.host.debug(`evaluation of ${f.root} superseded after ${n} render step(s) in ${Date.now() - t0} ms`);
            this.requeue(queue);
            return;
          }
        }
        const t1 = Date.now();
        f.evaluate();
        this.host.debug(`evaluated ${f.root} in ${Date.now() - t0} ms (${n ? `${n} render steps in ${t1 - t0} ms, then ` : ''}${f.lastMode()}): ${f.analysis?.findings.length ?? 0} findings`);
      } catch (e) {
        this.host.error(`Error while evaluating ${f.root}: ${(e as Error).stack ?? e}`);
      }
      queue.shift();
    }
    this.host.publish();
  }

  private arm(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const targets = [...this.dirty];
      this.dirty.clear();
      void this.evaluate(targets);
    }, delay);
  }

  /** A superseded run's folders not yet evaluated wait for the next run (the one that superseded it may not include them). */
  private requeue(left: Folder[]): void {
    for (const f of left) if (this.folders.includes(f)) this.dirty.add(f);
    if (!this.timer && this.dirty.size) this.arm(0);
  }
}
