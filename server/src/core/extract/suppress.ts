// `# port-parity-ignore <rule-id>[,<rule-id>] [reason]` comments: they cover their own line and the next.
import type { Suppression } from '../types';

const MARK = 'port-parity-ignore';

export function commentSuppressions(text: string): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes(MARK)) return out;
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const k = line.indexOf(MARK);
    if (k < 0) continue;
    const hash = line.lastIndexOf('#', k);
    if (hash < 0 || line.slice(hash + 1, k).trim() !== '') continue;
    // The first word lists the rule ids; the rest is the reason. No id: every rule.
    const first = line.slice(k + MARK.length).trim().split(/\s+/)[0] ?? '';
    const rules = /^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(first) ? first.split(',') : ['*'];
    out.push({ rules, fromLine: i, toLine: i + 1 });
  }
  return out;
}
