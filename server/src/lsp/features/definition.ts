// Definition: from a port token to the reference ports of its service (where the others should agree).
import type { Location } from 'vscode-languageserver/node';
import { referencePorts } from '../../core';
import type { ServerContext } from '../context';
import { distinct, location } from '../convert';

export function registerDefinition(ctx: ServerContext): void {
  ctx.connection.onDefinition((params, token) => ctx.runSafe(`finding the definition in ${params.textDocument.uri}`, [] as Location[], token, () => {
    const hit = ctx.tokenAt(params.textDocument.uri, params.position);
    const s = hit && hit.at.folder.analysis?.model.services.get(hit.token.service);
    const ref = s && referencePorts(s);
    return hit && ref ? distinct(ref.locs.map((l) => location(ctx, hit.at.folder, l))) : [];
  }));
}
