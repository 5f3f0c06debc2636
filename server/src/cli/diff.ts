// A unified diff for fixes; fixes replace tokens within lines, so old and new have the same line count.
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** `show` rewrites each printed line (the CLI masks URL passwords with it). */
export function unifiedDiff(file: string, before: string, after: string, context = 3, show: (line: string) => string = (l) => l): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const changed: number[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) changed.push(i);
  if (changed.length === 0) return '';
  const out = [`--- a/${file}`, `+++ b/${file}`];
  const strip = (l: string | undefined): string => show((l ?? '').replace(/\r?\n$|\r$/, ''));
  let k = 0;
  while (k < changed.length) {
    let end = k;
    while (end + 1 < changed.length && changed[end + 1] - changed[end] <= context * 2) end++;
    const from = Math.max(0, changed[k] - context);
    const to = Math.min(n - 1, changed[end] + context);
    const body: string[] = [];
    for (let i = from; i <= to; i++) {
      if (a[i] === b[i]) body.push(` ${strip(a[i])}`);
      else {
        if (a[i] !== undefined) body.push(`-${strip(a[i])}`);
        if (b[i] !== undefined) body.push(`+${strip(b[i])}`);
      }
    }
    const lenA = Math.min(to, a.length - 1) - from + 1;
    const lenB = Math.min(to, b.length - 1) - from + 1;
    out.push(`@@ -${from + 1},${lenA} +${from + 1},${lenB} @@`, ...body);
    k = end + 1;
  }
  return `${out.join('\n')}\n`;
}
