// Whether the language server runs, and what the menus' when-clauses read: portParity.enable starts and
// stops it, "Restart Server" restarts it; the context keys say whether it runs and whether the active
// editor holds a file it reads (the editor menus' "Align Service" and "Explain Service" show only there).
import * as vscode from 'vscode';
import type { DocumentSelector, LanguageClient } from 'vscode-languageclient/node';
import { MATRIX_REQUEST } from '../../server/src/protocol';
import type { MatrixDto } from '../../server/src/protocol';
import { summaryLine } from './format';
import type { MatrixFeed } from './matrixFeed';
import type { StatusItem } from './status';

/** The context keys package.json's when-clauses read. */
export const CONTEXT = {
  /** The language server runs (portParity.enable is on and it started). */
  running: 'portParity.running',
  /** The active editor's document is one the server reads (the extension's document selector). */
  activeFile: 'portParity.activeFile',
} as const;

const enabled = (): boolean => vscode.workspace.getConfiguration('portParity').get<boolean>('enable', true) !== false;

export class ServerControl implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly lc: LanguageClient,
    private readonly feed: MatrixFeed,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: StatusItem,
    selector: DocumentSelector,
  ) {
    const active = (e: vscode.TextEditor | undefined): void => void vscode.commands.executeCommand('setContext', CONTEXT.activeFile, !!e && vscode.languages.match(selector as vscode.DocumentSelector, e.document) > 0);
    active(vscode.window.activeTextEditor);
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(active),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('portParity.enable')) void this.sync();
      }),
    );
  }

  /** Starts the server when portParity.enable is on and it is not running; stops it when it is off. */
  async sync(): Promise<void> {
    if (enabled() && !this.lc.isRunning()) await this.start();
    else if (!enabled() && this.lc.needsStop()) {
      await this.lc.stop();
      this.output.info('Port Parity is turned off (portParity.enable): the language server stopped');
      this.stopped();
    } else if (!enabled()) this.stopped();
  }

  /** "Restart Server": a fresh server reads the workspace again. */
  async restart(): Promise<void> {
    if (!enabled()) {
      void vscode.window.showInformationMessage('Port Parity is turned off: set portParity.enable to start its language server.');
      return;
    }
    this.status.show(undefined);
    if (this.lc.needsStop()) await this.lc.stop();
    this.output.info('restarting the language server');
    await this.start();
  }

  /** Starts the server; the first matrix is asked for unless a notification brought one already. */
  private async start(): Promise<void> {
    this.status.show(undefined);
    try {
      this.feed.notified = false;
      await this.lc.start();
      void vscode.commands.executeCommand('setContext', CONTEXT.running, true);
      const m = await this.lc.sendRequest<MatrixDto>(MATRIX_REQUEST);
      if (!this.feed.notified) this.feed.update(m);
      this.output.info(`matrix: ${summaryLine(m)}`);
    } catch (e) {
      this.output.error(`Port Parity could not start its language server: ${(e as Error).stack ?? e}`);
      this.stopped();
      void vscode.window.showErrorMessage('Port Parity could not start its language server; see the "Port Parity" output.');
    }
  }

  private stopped(): void {
    void vscode.commands.executeCommand('setContext', CONTEXT.running, false);
    this.status.show(null);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
