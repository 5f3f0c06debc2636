// Hover: what a port token is, and the same service's ports in every environment.
import { hoverMarkdown } from '../../core';
import type { ServerContext } from '../context';
import { range } from '../convert';

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover((params, token) => ctx.runSafe(`computing hover for ${params.textDocument.uri}`, null, token, () => {
    const hit = ctx.tokenAt(params.textDocument.uri, params.position);
    const analysis = hit?.at.folder.analysis;
    if (!hit || !analysis) return null;
    const { at, token: t } = hit;
    const value = hoverMarkdown(analysis.model, t, (l) => `${ctx.uriOf(at.folder, l.file)}#L${l.line + 1}`);
    return { contents: { kind: 'markdown', value }, range: range(t.loc) };
  }));
}
