// A unified diff for fixes, from jsdiff's structured patch; the headers and each line's text are ours to print.
import { structuredPatch } from 'diff';

/** CRLF and a lone CR end a line as the core's LineIndex counts them; fixes edit tokens, never line ends. */
const LINE_END = /\r\n?/g;

/**
 * The diff of one file, `--- a/<file>` / `+++ b/<file>` and hunks with `context` lines around each
 * change, or '' when nothing changed. Line ends are compared as `\n` (so a CRLF file shows no `\r` and a
 * file of lone CRs gets its real lines); a last line without a line end is marked `\ No newline at end
 * of file`. `show` rewrites each printed line's text (the CLI masks URL passwords with it).
 */
export function unifiedDiff(file: string, before: string, after: string, context = 3, show: (line: string) => string = (l) => l): string {
  if (before === after) return '';
  let a = before.replace(LINE_END, '\n');
  let b = after.replace(LINE_END, '\n');
  // Only line ends differ: then those are the change, and the diff shows them as they are.
  if (a === b) [a, b] = [before, after];
  const patch = structuredPatch(`a/${file}`, `b/${file}`, a, b, undefined, undefined, { context });
  const out = [`--- a/${file}`, `+++ b/${file}`];
  for (const h of patch.hunks) {
    // A side with no lines names the line before the hunk (the unified format's rule, as diff -u writes it).
    out.push(`@@ -${h.oldLines ? h.oldStart : h.oldStart - 1},${h.oldLines} +${h.newLines ? h.newStart : h.newStart - 1},${h.newLines} @@`);
    for (const line of h.lines) out.push(line.startsWith('\\') ? line : `${line[0]}${show(line.slice(1))}`);
  }
  return `${out.join('\n')}\n`;
}
