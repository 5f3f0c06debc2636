// The workspace on disk: files changed outside the editor, and folders added to or removed from the workspace.
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver/node';
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { CONFIG_FILES, watchGlob } from '../../core';
import { rootOf } from '../context';
import type { ServerContext } from '../context';
import type { Folder } from '../folder';

/**
 * A folder added to the workspace is indexed and checked like the first ones; a removed one is
 * forgotten: its diagnostics are withdrawn, its rows leave the matrix, its helm renders are dropped.
 */
function changeFolders(ctx: ServerContext, added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
  for (const w of removed) {
    const root = rootOf(w.uri);
    const gone = root === undefined ? undefined : ctx.removeFolder(root);
    if (gone) ctx.log(`removed workspace folder ${gone.root}`);
  }
  const fresh: Folder[] = [];
  for (const w of added) {
    const f = ctx.addFolder(w.uri);
    if (!f) continue;
    try {
      ctx.log(`indexed ${f.index()} files in added workspace folder ${f.root}`);
      fresh.push(f);
    } catch (e) {
      ctx.error(`Error while indexing ${f.root}: ${(e as Error).message}`);
    }
  }
  // Evaluating the new folders publishes everything again: the removed folders' files get empty diagnostics.
  void ctx.evaluate(fresh);
}

/** Once initialized: asks the client to watch the files the core reads, and to say when folders come and go. */
export function startWatching(ctx: ServerContext): void {
  if (ctx.client.watch) void ctx.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: watchGlob() }] });
  if (ctx.client.followFolders) ctx.connection.workspace.onDidChangeWorkspaceFolders((e) => void ctx.runSafe('changing workspace folders', undefined, undefined, () => changeFolders(ctx, e.added, e.removed)));
}

export function registerWatching(ctx: ServerContext): void {
  ctx.connection.onDidChangeWatchedFiles((params) => void ctx.runSafe('reading changed files', undefined, undefined, () => {
    for (const ch of params.changes) {
      const at = ctx.locate(ch.uri);
      if (!at) continue;
      if (ctx.documents.get(ch.uri) && ch.type !== FileChangeType.Deleted) continue;
      if (CONFIG_FILES.includes(at.rel)) {
        at.folder.refreshFromDisk(at.rel);
        at.folder.reloadConfig(at.rel, ch.type === FileChangeType.Deleted ? undefined : at.folder.textOf(at.rel));
        ctx.schedule(at.folder, 0);
        continue;
      }
      if (at.folder.refreshFromDisk(at.rel)) ctx.schedule(at.folder, 50);
    }
  }));
}
