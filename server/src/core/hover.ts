// Hover text for a port token: the service's internal port in every environment, as a Markdown table
// where the client renders tables and links (VS Code says so), as a short Markdown list for other
// Markdown clients (Neovim shows a table raw), as aligned plain text for the rest (LSP `contentFormat`).
import { DEFAULT_ENV, DEFAULT_ENV_NOTE, DEFAULT_ENV_NOTE_TEXT, envLabel } from './environments';
import { buildMatrixRow } from './matrix';
import type { Model } from './model-types';
import { list } from './query';
import type { PortToken } from './tokens';
import type { Loc } from './types';

/** The hover's format: what the client said it renders first (`textDocument.hover.contentFormat`). */
export type HoverFormat = 'markdown' | 'plaintext';

/** How the rows are laid out: a Markdown table with links, a Markdown list, or aligned plain text. */
export type HoverLayout = 'table' | 'list' | 'plain';

interface HoverRow {
  /** The environment as users read it, and what the hover adds: ` (reference) ← this`. */
  env: string;
  marks: string;
  ports: string;
  locs: Loc[];
}

/** `(local; in staging and production a stronger setting of the variable hides it)`. */
function inWhich(token: PortToken): string {
  const hidden = token.hiddenIn ?? [];
  const live = token.envs.filter((e) => !hidden.includes(e)).map(envLabel);
  const hid = hidden.map(envLabel);
  if (!hid.length) return `(${live.join(', ')})`;
  return `(${live.length ? `${live.join(', ')}; ` : ''}in ${list(hid)} a stronger setting of the variable hides it)`;
}

/** What the hover says under its header, format-blind: one row per environment, the contract, whether to explain the unmarked environment. */
function hoverParts(model: Model, token: PortToken): { rows: HoverRow[]; contract?: { ports: string; loc: Loc }; unmarked: boolean } | undefined {
  const s = model.services.get(token.target ?? token.service);
  if (!s) return undefined;
  const live = token.envs.filter((e) => !token.hiddenIn?.includes(e));
  const row = buildMatrixRow(model, s);
  const rows: HoverRow[] = [];
  for (const c of row?.cells ?? []) {
    if (c.status === 'missing' && c.ports.length === 0) continue;
    const here = live.includes(c.environment) ? ' ← this' : '';
    const ref = c.status === 'reference' ? ' (reference)' : '';
    rows.push({ env: envLabel(c.environment), marks: `${ref}${here}`, ports: `${c.ports.join(', ') || '-'}${c.status === 'differs' ? ' ≠' : ''}`, locs: c.locations.slice(0, 3) });
  }
  const unmarked = token.envs.includes(DEFAULT_ENV) || !!row?.cells.some((c) => c.environment === DEFAULT_ENV && c.ports.length);
  return { rows, contract: s.contract && { ports: s.contract.ports.join(', '), loc: s.contract.loc }, unmarked };
}

/**
 * The hover of a token. `link` turns a location into a Markdown link target (the editor's URI with a
 * line fragment), for the table; the list and plain text name `file:line` alone.
 */
export function hoverText(model: Model, token: PortToken, link: (loc: Loc) => string, layout: HoverLayout = 'table'): string {
  const md = layout !== 'plain';
  const b = (s: string): string => (md ? `**${escapeMd(s)}**` : s);
  const e = (s: string): string => (md ? escapeMd(s) : s);
  const head = token.target
    ? `${e(token.role)}: ${b(token.target)} serves ${inWhich(token)}`
    : `${b(token.service)}: ${e(token.role)}${token.port !== undefined ? ` ${b(String(token.port))}` : ''} ${inWhich(token)}`;
  const lines = [head, ''];
  const parts = hoverParts(model, token);
  if (!parts || parts.rows.length === 0) return lines.join('\n');
  const at = (l: Loc): string => (layout === 'table' ? `[${escapeMd(l.file)}:${l.line + 1}](${link(l)})` : `${e(l.file)}:${l.line + 1}`);
  if (layout === 'table') {
    lines.push('| environment | internal port | declared at |', '| --- | --- | --- |');
    for (const r of parts.rows) lines.push(`| ${escapeMd(r.env)}${r.marks} | ${r.ports} | ${r.locs.map(at).join(', ')} |`);
  } else if (layout === 'list') {
    for (const r of parts.rows) lines.push(`- ${escapeMd(r.env)}${r.marks}: ${r.ports}${r.locs.length ? ` (${r.locs.map(at).join(', ')})` : ''}`);
  } else {
    const w1 = Math.max(...parts.rows.map((r) => r.env.length + r.marks.length));
    const w2 = Math.max(...parts.rows.map((r) => r.ports.length));
    for (const r of parts.rows) lines.push(`${(r.env + r.marks).padEnd(w1)}  ${r.ports.padEnd(w2)}  ${r.locs.map(at).join(', ')}`.trimEnd());
  }
  if (parts.contract) lines.push('', `Port contract: ${b(parts.contract.ports)} (${at(parts.contract.loc)})`);
  if (parts.unmarked) lines.push('', md ? DEFAULT_ENV_NOTE : DEFAULT_ENV_NOTE_TEXT);
  return lines.join('\n');
}

/** The Markdown hover with its table (hoverText for VS Code). */
export function hoverMarkdown(model: Model, token: PortToken, link: (loc: Loc) => string): string {
  return hoverText(model, token, link, 'table');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1');
}
