// Names one typo away: what a dangling reference most likely meant (`cart` for `carts`).

/** The edit distance of two short names (Levenshtein), stopping early past `max`. */
export function distance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length];
}

/** The candidates within two edits of `name` (one edit for names of four characters or fewer), nearest first. */
export function near(name: string, candidates: Iterable<string>): string[] {
  const max = name.length <= 4 ? 1 : 2;
  return [...new Set(candidates)]
    .map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase(), max) }))
    .filter((x) => x.d <= max && x.c !== name)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .map((x) => x.c);
}
