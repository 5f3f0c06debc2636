// The VS Code client: starts the bundled language server, and adds the parity panel, the status bar
// item and the commands around the server's matrix. Activation only builds objects; the server indexes.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { MATRIX_CHANGED, TRUSTED_NOTIFICATION } from '../../server/src/protocol';
import type { InitOptions, MatrixDto } from '../../server/src/protocol';
import { align, createContract, exportReport, reindex } from './commands';
import type { CommandHost } from './commands';
import { ServerControl } from './control';
import { runLocally } from './local';
import { EXPLAIN_SCHEME, ExplainDocuments, explainHoverLink, explainService } from './explain';
import { MatrixFeed } from './matrixFeed';
import { VIEW_ID } from './panel';
import { createStatusItem } from './status';
import { serviceArg } from './tree';
import { createViews } from './views';
import { registerTasks } from './tasks';

/** The files the server reads (the format registry's globs, set by the build: esbuild.mjs). */
declare const PORT_PARITY_FILE_GLOB: string;
declare const PORT_PARITY_DOCUMENT_SELECTOR: ({ scheme: string; language: string } | { scheme: string; pattern: string })[];
export const FILE_GLOB = PORT_PARITY_FILE_GLOB;
const DOCUMENT_SELECTOR = PORT_PARITY_DOCUMENT_SELECTOR;

export const COMMANDS = {
  showPanel: 'portParity.showPanel',
  reindex: 'portParity.reindex',
  align: 'portParity.alignService',
  contract: 'portParity.createContract',
  report: 'portParity.exportReport',
  explain: 'portParity.explainService',
  restart: 'portParity.restartServer',
  output: 'portParity.showOutput',
  local: 'portParity.runLocally',
  openInEditor: 'portParity.openPanelInEditor',
  openFinding: 'portParity.openFinding',
  fixFinding: 'portParity.fixFinding',
} as const;

/** What `activate` returns: for the end-to-end tests and for other extensions. */
export interface PortParityApi {
  /** The latest matrix from the server, if one arrived. */
  matrix(): MatrixDto | undefined;
  /** Resolves with the next matrix that satisfies `ready` (the current one if it does). */
  whenMatrix(ready?: (m: MatrixDto) => boolean, timeoutMs?: number): Promise<MatrixDto>;
  /** The status bar item's text. */
  statusText(): string;
  /** How long `activate` itself took (it only builds objects; the server starts in the background). */
  activationMs: number;
}

let client: LanguageClient | undefined;

/** The bundled server over IPC, and what the client syncs with it. */
function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(FILE_GLOB);
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watcher },
    outputChannel: output,
    markdown: { isTrusted: false, supportHtml: false },
    middleware: { provideHover: explainHoverLink(() => client, COMMANDS.explain) },
    // The server runs helm (portParity.helm.render) only in a trusted workspace.
    initializationOptions: { trusted: vscode.workspace.isTrusted, hoverTables: true } satisfies InitOptions,
  };
  const lc = new LanguageClient('portParity', 'Port Parity', serverOptions, clientOptions);
  context.subscriptions.push(lc);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void lc.sendNotification(TRUSTED_NOTIFICATION).catch(() => undefined)));
  return lc;
}

function registerCommands(context: vscode.ExtensionContext, h: CommandHost): void {
  /** Runs a command's body; a failure is a message, not an unhandled rejection. */
  const guarded = <A extends unknown[]>(name: string, fn: (...args: A) => Promise<unknown>) => async (...args: A): Promise<void> => {
    try {
      await fn(...args);
    } catch (e) {
      h.output.appendLine(`${name} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`Port Parity: ${name} failed: ${(e as Error).message}`);
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showPanel, () => vscode.commands.executeCommand(`${VIEW_ID}.focus`)),
    vscode.commands.registerCommand(COMMANDS.reindex, guarded('Re-index Workspace', () => reindex(h))),
    // From the palette or a menu the first argument is absent or a Uri; the panel passes a service name.
    vscode.commands.registerCommand(COMMANDS.align, guarded('Align Service', (service?: unknown, folder?: unknown) => align(h, typeof service === 'string' ? service : serviceArg(service)?.service, typeof folder === 'string' ? folder : serviceArg(service)?.folder))),
    vscode.commands.registerCommand(COMMANDS.contract, guarded('Create Port Contract', () => createContract(h))),
    vscode.commands.registerCommand(COMMANDS.report, guarded('Export Parity Report', () => exportReport(h))),
    vscode.commands.registerCommand(COMMANDS.local, guarded('Run Locally with Production Ports', () => runLocally(h))),
  );
  // The explanations are read-only documents of their own scheme.
  const docs = new ExplainDocuments();
  context.subscriptions.push(
    docs,
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, docs),
    vscode.commands.registerCommand(COMMANDS.explain, guarded('Explain Service', (service?: unknown, folder?: unknown) => explainService(h, docs, typeof service === 'string' ? service : serviceArg(service)?.service, typeof folder === 'string' ? folder : serviceArg(service)?.folder))),
  );
}

export function activate(context: vscode.ExtensionContext): PortParityApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Port Parity', { log: true });
  context.subscriptions.push(output);
  const lc = createClient(context, output);
  client = lc;

  // The matrix: the latest one from the server shows in the status bar and the panel, and reaches whoever waits for one.
  const feed = new MatrixFeed();
  const status = createStatusItem(COMMANDS.showPanel);
  context.subscriptions.push(status);
  const h: CommandHost = { client: lc, feed, output };
  const views = createViews(context, h, COMMANDS);
  feed.listen((m) => {
    status.show(m);
    views.refresh();
  });
  context.subscriptions.push(lc.onNotification(MATRIX_CHANGED, (m: MatrixDto) => {
    feed.notified = true;
    feed.update(m);
  }));
  registerCommands(context, h);
  // portParity.enable starts and stops the server; "Restart Server" and "Show Output" work whatever its state.
  const control = new ServerControl(lc, feed, output, status, DOCUMENT_SELECTOR);
  context.subscriptions.push(
    control,
    vscode.commands.registerCommand(COMMANDS.restart, () => control.restart()),
    vscode.commands.registerCommand(COMMANDS.output, () => output.show(true)),
  );
  context.subscriptions.push(registerTasks(context, output));
  void control.sync();

  return {
    matrix: () => feed.latest(),
    whenMatrix: (ready, timeoutMs) => feed.when(ready, timeoutMs),
    statusText: () => status.text(),
    activationMs: performance.now() - started,
  };
}

export function deactivate(): Thenable<void> | undefined {
  const c = client;
  client = undefined;
  return c?.stop();
}
