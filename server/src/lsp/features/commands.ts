// The client's custom requests: align a service, the service at a position, re-index the workspace.
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { ALIGN_COMMAND, REINDEX_REQUEST, SERVICE_AT_REQUEST } from '../../protocol';
import type { ReindexResult, ServiceAtParams, ServiceAtResult } from '../../protocol';
import type { ServerContext } from '../context';
import { workspaceEdit } from '../convert';
import { alignFix } from './codeActions';

export function registerCommands(ctx: ServerContext): void {
  ctx.connection.onRequest(ALIGN_COMMAND, (params: { folder?: string; service: string }, token) => ctx.runSafe('aligning a service', null as WorkspaceEdit | null, token, () => {
    const f = ctx.folders.find((x) => !params.folder || x.root === params.folder) ?? ctx.folders[0];
    const fix = f ? alignFix(f, params.service) : undefined;
    return fix && f ? workspaceEdit(ctx, f, fix) : null;
  }));

  // For the VS Code client's "Align Service in All Environments": the service under the cursor.
  ctx.connection.onRequest(SERVICE_AT_REQUEST, (params: ServiceAtParams, token) => ctx.runSafe('finding the service at a position', null as ServiceAtResult | null, token, () => {
    const hit = ctx.tokenAt(params.textDocument.uri, params.position);
    return hit ? { service: hit.token.service, folder: hit.at.folder.root } : null;
  }));

  // "Re-index Workspace": read every folder from disk again (open documents keep their editor text).
  ctx.connection.onRequest(REINDEX_REQUEST, (_params, token) => ctx.runSafe('re-indexing', { files: 0, folders: 0 } as ReindexResult, token, async () => {
    const files = ctx.indexAll();
    await ctx.evaluate(ctx.folders);
    ctx.log(`re-indexed ${files} files in ${ctx.folders.length} folder(s)`);
    return { files, folders: ctx.folders.length };
  }));
}
