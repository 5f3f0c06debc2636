// References: every place that names the port of the service under the cursor.
import type { Location } from 'vscode-languageserver/node';
import type { ServerContext } from '../context';
import { distinct, location } from '../convert';

export function registerReferences(ctx: ServerContext): void {
  ctx.connection.onReferences((params, token) => ctx.runSafe(`finding references in ${params.textDocument.uri}`, [] as Location[], token, () => {
    const hit = ctx.tokenAt(params.textDocument.uri, params.position);
    if (!hit) return [];
    const { at, token: t } = hit;
    const out: Location[] = [];
    for (const list of at.folder.tokens.values()) for (const x of list) if (x.service === t.service && x.internal) out.push(location(ctx, at.folder, x.loc));
    return distinct(out);
  }));
}
