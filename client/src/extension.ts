// The VS Code client: starts the bundled language server, and adds the parity panel, the status bar
// item and the commands around the server's matrix. Activation only builds objects; the server indexes.
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { ALIGN_COMMAND, MATRIX_CHANGED, MATRIX_REQUEST, REINDEX_REQUEST, SERVICE_AT_REQUEST, TRUSTED_NOTIFICATION } from '../../server/src/protocol';
import type { InitOptions, MatrixDto, ReindexResult, ServiceAtParams, ServiceAtResult } from '../../server/src/protocol';
import { alignTarget, contractYaml, driftingRows, markdownReport, statusText, summaryLine } from './format';
import type { ReportFinding } from './format';
import { ParityPanel, VIEW_ID } from './panel';

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

export function activate(context: vscode.ExtensionContext): PortParityApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Port Parity', { log: true });
  context.subscriptions.push(output);

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
    // The server runs helm (portParity.helm.render) only in a trusted workspace.
    initializationOptions: { trusted: vscode.workspace.isTrusted } satisfies InitOptions,
  };
  const lc = new LanguageClient('portParity', 'Port Parity', serverOptions, clientOptions);
  client = lc;
  context.subscriptions.push(lc);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void lc.sendNotification(TRUSTED_NOTIFICATION).catch(() => undefined)));

  // The matrix: the latest one from the server, and whoever waits for one.
  let latest: MatrixDto | undefined;
  let waiters: { ready: (m: MatrixDto) => boolean; resolve: (m: MatrixDto) => void }[] = [];
  const status = vscode.window.createStatusBarItem('portParity.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Port Parity';
  status.command = COMMANDS.showPanel;
  const showStatus = (): void => {
    const s = statusText(latest);
    status.text = s.text;
    status.tooltip = s.tooltip;
    status.accessibilityInformation = { label: s.tooltip.replace(/\$\([^)]*\)/g, '').trim() };
  };
  showStatus();
  status.show();
  context.subscriptions.push(status);

  const openLocation = async (uri: string, line: number, character: number): Promise<void> => {
    // The panel passes only file: URIs of the matrix it sent (NamedLocations); the scheme is checked again here.
    const target = vscode.Uri.parse(uri, true);
    if (target.scheme !== 'file') return;
    const pos = new vscode.Position(line, character);
    await vscode.window.showTextDocument(target, { selection: new vscode.Range(pos, pos), preview: false });
  };
  const panel = new ParityPanel(context.extensionUri, {
    matrix: () => latest,
    open: openLocation,
    align: (service, folder) => align(service, folder || undefined),
    reindex: () => reindex(),
    refused: (what) => output.warn(`Port Parity panel: refused ${what}`),
  });
  context.subscriptions.push(panel, vscode.window.registerWebviewViewProvider(VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }));

  const onMatrix = (m: MatrixDto): void => {
    latest = m;
    showStatus();
    panel.post();
    const still: typeof waiters = [];
    for (const w of waiters) {
      if (w.ready(m)) w.resolve(m);
      else still.push(w);
    }
    waiters = still;
  };
  let notified = false;
  context.subscriptions.push(lc.onNotification(MATRIX_CHANGED, (m: MatrixDto) => {
    notified = true;
    onMatrix(m);
  }));

  const request = async <R>(method: string, params?: unknown): Promise<R> => (params === undefined ? lc.sendRequest<R>(method) : lc.sendRequest<R>(method, params));

  /** "Align Service in All Environments": the given service, the one under the cursor, or a pick. */
  const align = async (service?: string, folder?: string): Promise<void> => {
    if (!service) {
      const ed = vscode.window.activeTextEditor;
      if (ed && ed.document.uri.scheme === 'file') {
        const params: ServiceAtParams = { textDocument: { uri: ed.document.uri.toString() }, position: { line: ed.selection.active.line, character: ed.selection.active.character } };
        const at = await request<ServiceAtResult | null>(SERVICE_AT_REQUEST, params);
        if (at && (latest?.rows.some((r) => r.service === at.service && r.folder === at.folder && r.drift) ?? true)) ({ service, folder } = at);
      }
    }
    if (!service) {
      const m = latest ?? (await request<MatrixDto>(MATRIX_REQUEST));
      const rows = driftingRows(m);
      if (rows.length === 0) {
        void vscode.window.showInformationMessage('Port Parity: every service serves the same ports in all environments.');
        return;
      }
      const folders = new Set(rows.map((r) => r.folder));
      const pick = await vscode.window.showQuickPick(
        rows.map((r) => ({
          label: r.service,
          description: r.cells.filter((c) => c.ports.length).map((c) => `${c.environment} ${c.ports.join(', ')}${c.status === 'differs' ? ' ≠' : ''}`).join(' · '),
          detail: folders.size > 1 ? r.folder : undefined,
          row: r,
        })),
        { title: 'Align Service in All Environments', placeHolder: 'Pick a drifting service' },
      );
      if (!pick) return;
      ({ service, folder } = pick.row);
    }
    const edit = await request<WorkspaceEdit | null>(ALIGN_COMMAND, { folder, service });
    if (!edit) {
      void vscode.window.showInformationMessage(`Port Parity: ${service} serves the same ports in all environments; nothing to align.`);
      return;
    }
    const we = await lc.protocol2CodeConverter.asWorkspaceEdit(edit);
    const target = latest?.rows.find((r) => r.service === service && (!folder || r.folder === folder));
    if (!(await vscode.workspace.applyEdit(we))) {
      void vscode.window.showErrorMessage(`Port Parity: could not apply the edits that align ${service}.`);
      return;
    }
    const files = we.entries().length;
    output.appendLine(`aligned ${service}${target ? ` to ${alignTarget(target).join(', ')}` : ''} in ${files} file(s)`);
    void vscode.window.setStatusBarMessage(`Port Parity: aligned ${service} in ${files} file${files === 1 ? '' : 's'}`, 5000);
  };

  const reindex = async (): Promise<void> => {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Port Parity: re-indexing' }, () => request<ReindexResult>(REINDEX_REQUEST));
    void vscode.window.setStatusBarMessage(`Port Parity: re-indexed ${r.files} files in ${r.folders} folder${r.folders === 1 ? '' : 's'}`, 5000);
  };

  const pickFolder = async (): Promise<vscode.WorkspaceFolder | undefined> => {
    const all = vscode.workspace.workspaceFolders ?? [];
    if (all.length <= 1) return all[0];
    return vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder whose port contract to write' });
  };

  const createContract = async (): Promise<void> => {
    const wf = await pickFolder();
    if (!wf) {
      void vscode.window.showWarningMessage('Port Parity: open a folder to write its port contract.');
      return;
    }
    const m = latest ?? (await request<MatrixDto>(MATRIX_REQUEST));
    let target = vscode.Uri.joinPath(wf.uri, '.portparity.yaml');
    let existing: string | undefined;
    for (const name of ['.portparity.yaml', '.portparity.yml']) {
      const uri = vscode.Uri.joinPath(wf.uri, name);
      try {
        existing = (await vscode.workspace.openTextDocument(uri)).getText();
        target = uri;
        break;
      } catch {
        // not there
      }
    }
    const { text, services } = contractYaml(m, wf.uri.fsPath, existing);
    if (existing === undefined) {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    } else {
      const doc = await vscode.workspace.openTextDocument(target);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    }
    await vscode.window.showTextDocument(target, { preview: false });
    void vscode.window.setStatusBarMessage(`Port Parity: wrote the port contract for ${services} service${services === 1 ? '' : 's'} to ${relative(wf.uri.fsPath, target.fsPath)}`, 5000);
  };

  const exportReport = async (): Promise<vscode.TextDocument> => {
    const m = latest ?? (await request<MatrixDto>(MATRIX_REQUEST));
    const findings: ReportFinding[] = [];
    const SEV: Record<number, ReportFinding['severity']> = { [vscode.DiagnosticSeverity.Error]: 'error', [vscode.DiagnosticSeverity.Warning]: 'warning' };
    for (const [uri, list] of vscode.languages.getDiagnostics()) {
      const wf = vscode.workspace.getWorkspaceFolder(uri);
      const file = wf ? relative(wf.uri.fsPath, uri.fsPath).split('\\').join('/') : uri.fsPath;
      for (const d of list) {
        if (d.source !== 'port-parity') continue;
        const rule = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
        findings.push({ severity: SEV[d.severity] ?? 'info', rule, file, line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message });
      }
    }
    const name = vscode.workspace.name ? `Port Parity report: ${vscode.workspace.name}` : undefined;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdownReport(m, findings, name) });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };

  /** Runs a command's body; a failure is a message, not an unhandled rejection. */
  const guarded = <A extends unknown[]>(name: string, fn: (...args: A) => Promise<unknown>) => async (...args: A): Promise<void> => {
    try {
      await fn(...args);
    } catch (e) {
      output.appendLine(`${name} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`Port Parity: ${name} failed: ${(e as Error).message}`);
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showPanel, () => vscode.commands.executeCommand(`${VIEW_ID}.focus`)),
    vscode.commands.registerCommand(COMMANDS.reindex, guarded('Re-index Workspace', reindex)),
    // From the palette or a menu the first argument is absent or a Uri; the panel passes a service name.
    vscode.commands.registerCommand(COMMANDS.align, guarded('Align Service', (service?: unknown, folder?: unknown) => align(typeof service === 'string' ? service : undefined, typeof folder === 'string' ? folder : undefined))),
    vscode.commands.registerCommand(COMMANDS.contract, guarded('Create Port Contract', createContract)),
    vscode.commands.registerCommand(COMMANDS.report, guarded('Export Parity Report', exportReport)),
  );

  lc.start()
    .then(() => request<MatrixDto>(MATRIX_REQUEST))
    .then((m) => {
      if (!notified) onMatrix(m);
      output.appendLine(`matrix: ${summaryLine(m)}`);
    })
    .catch((e: unknown) => {
      output.appendLine(`Port Parity could not start its language server: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage('Port Parity could not start its language server; see the "Port Parity" output.');
    });

  return {
    matrix: () => latest,
    whenMatrix: (ready = () => true, timeoutMs = 30000) => {
      if (latest && ready(latest)) return Promise.resolve(latest);
      return new Promise<MatrixDto>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching matrix within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          ready,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    statusText: () => status.text,
    activationMs: performance.now() - started,
  };
}

export function deactivate(): Thenable<void> | undefined {
  const c = client;
  client = undefined;
  return c?.stop();
}
