// initialize and initialized: the capabilities, the workspace folders, then the first index and check with progress.
import { CodeActionKind, MarkupKind, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import type { InitOptions } from '../../protocol';
import type { ServerContext } from '../context';
import { readSettings, startConfiguration } from './configuration';
import { startWatching } from './watching';

function initialize(ctx: ServerContext, params: InitializeParams): InitializeResult {
  const options = params.initializationOptions as InitOptions | undefined;
  ctx.trusted = options?.trusted !== false;
  ctx.client.hoverTables = options?.hoverTables === true;
  const roots = (params.workspaceFolders ?? []).map((w) => w.uri);
  if (roots.length === 0 && params.rootUri) roots.push(params.rootUri);
  for (const uri of roots) ctx.addFolder(uri);
  const caps = params.capabilities;
  ctx.client.followFolders = !!caps.workspace?.workspaceFolders;
  ctx.client.configure = !!caps.workspace?.configuration;
  ctx.client.watch = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  ctx.client.resolveEdit = !!caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
  // LSP: the client's formats "in order of preference"; a client that says nothing gets plain text, as the spec's default.
  ctx.client.hoverFormat = caps.textDocument?.hover?.contentFormat?.[0] === MarkupKind.Markdown ? 'markdown' : 'plaintext';
  return {
    capabilities: {
      // `save`: portParity.run onSave checks a document when it is saved.
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
      referencesProvider: true,
      definitionProvider: true,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: [] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'port-parity' },
  };
}

async function initialized(ctx: ServerContext): Promise<void> {
  try {
    startConfiguration(ctx);
    startWatching(ctx);
    await readSettings(ctx);
    const progress = await ctx.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Port Parity', 0, 'Indexing workspace', false);
    const total = ctx.indexAll((n) => progress?.report(`Indexing ${n.toLocaleString('en-US')} files`));
    progress?.report(`Checking ${total.toLocaleString('en-US')} files`);
    // Requests and edits are taken from here on: while the first check runs (charts render in steps),
    // a request finds no analysis yet and answers empty, and an edit restarts the check.
    ctx.markReady();
    await ctx.evaluate(ctx.folders);
    progress?.done();
    ctx.log(`indexed ${total} files in ${ctx.folders.length} folder(s)`);
  } finally {
    ctx.markReady();
  }
}

export function registerLifecycle(ctx: ServerContext): void {
  ctx.connection.onInitialize((params) => initialize(ctx, params));
  ctx.connection.onInitialized(() => initialized(ctx));
}
