// Hover: what a port token is, and the same service's ports in every environment, in the format the
// client renders: a Markdown table where it renders tables (VS Code), a Markdown list for other Markdown
// clients (Neovim shows tables raw), aligned plain text where Markdown is not the client's first choice.
import { hoverText } from '../../core';
import type { ServerContext } from '../context';
import { onDisk, range } from '../convert';

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover((params, token) => ctx.runSafe(`computing hover for ${params.textDocument.uri}`, null, token, () => {
    const hit = ctx.tokenAt(params.textDocument.uri, params.position);
    const analysis = hit?.at.folder.analysis;
    if (!hit || !analysis) return null;
    const { at, token: t } = hit;
    const kind = ctx.client.hoverFormat;
    const layout = kind === 'plaintext' ? 'plain' : ctx.client.hoverTables ? 'table' : 'list';
    // A link to a place inside a chart archive opens the .tgz (its text names the entry and line).
    const value = hoverText(analysis.model, t, (l) => `${ctx.uriOf(at.folder, onDisk(l).file)}#L${onDisk(l).line + 1}`, layout);
    return { contents: { kind, value }, range: range(t.loc) };
  }));
}
