// Offsets to line/column, computed once per file text; every Loc in the core is made here.
import type { Loc } from './types';

/** Maps UTF-16 offsets of one text to 0-based lines and columns (LSP's default encoding). */
export class LineIndex {
  private readonly starts: number[] = [0];
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
  loc(start: number, end: number): Loc {
    const a = this.position(start);
    const b = this.position(end);
    return { file: this.file, start, end, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }
}
