// Hover text for a port token: the service's internal port in every environment, as a Markdown table.
import { buildMatrixRow } from './matrix';
import type { Model } from './model-types';
import type { PortToken } from './tokens';
import type { Loc } from './types';

/** `link` turns a location into a Markdown link target (the editor's URI with a line fragment). */
export function hoverMarkdown(model: Model, token: PortToken, link: (loc: Loc) => string): string {
  const subject = token.target ?? token.service;
  const s = model.services.get(subject);
  const lines: string[] = [];
  if (token.target) lines.push(`${escapeMd(token.role)}: **${escapeMd(token.target)}** serves (${token.envs.join(', ')})`, '');
  else lines.push(`**${escapeMd(token.service)}**: ${escapeMd(token.role)}${token.port !== undefined ? ` **${token.port}**` : ''} (${token.envs.join(', ')})`, '');
  if (!s) return lines.join('\n');
  const row = buildMatrixRow(model, s);
  if (!row) return lines.join('\n');
  lines.push('| environment | internal port | declared at |', '| --- | --- | --- |');
  for (const c of row.cells) {
    if (c.status === 'missing' && c.ports.length === 0) continue;
    const here = token.envs.includes(c.environment) ? ' ← this' : '';
    const ref = c.status === 'reference' ? ' (reference)' : '';
    const mark = c.status === 'differs' ? ' ≠' : '';
    const at = c.locations.slice(0, 3).map((l) => `[${escapeMd(l.file)}:${l.line + 1}](${link(l)})`).join(', ');
    lines.push(`| ${c.environment}${ref}${here} | ${c.ports.join(', ') || '-'}${mark} | ${at} |`);
  }
  if (s.contract) lines.push('', `Port contract: **${s.contract.ports.join(', ')}** ([${escapeMd(s.contract.loc.file)}:${s.contract.loc.line + 1}](${link(s.contract.loc)}))`);
  return lines.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1');
}
