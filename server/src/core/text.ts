// Offsets to line/column, computed once per file text; every Loc in the core is made here.
import type { Loc } from './types';

/** Maps UTF-16 offsets of one text to 0-based lines and columns (LSP's default encoding). */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** False for a text whose offsets cannot be placed char for char in the file (a folded inline patch): no value read through it is a literal a fix could edit. */
  readonly exact: boolean = true;
  constructor(readonly file: string, readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, col: offset - this.starts[lo] };
  }
  offset(line: number, col: number): number {
    const s = this.starts[Math.min(Math.max(line, 0), this.starts.length - 1)];
    return s + col;
  }
  lineCount(): number {
    return this.starts.length;
  }
  /** The index of the text `node` was read from: this one, except for a tree merged from several texts (a Kustomize render). */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- one text: every node is in it; a merged tree's index overrides this
  of(node: unknown): LineIndex {
    return this;
  }
  loc(start: number, end: number): Loc {
    const a = this.position(start);
    const b = this.position(end);
    return { file: this.file, start, end, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }
}
