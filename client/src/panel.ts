// The parity panel: a webview that renders the matrix with media/panel.js, in the side bar (a webview
// view) or in an editor tab (a webview panel, "Open Parity Matrix in Editor"). The HTML carries no
// workspace data: the matrix goes over postMessage and the script builds the DOM with textContent.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { MatrixDto, MatrixFindingDto } from '../../server/src/protocol';
import { panelHtml } from './html';
import { findingOf, NamedLocations } from './locations';

export const VIEW_ID = 'portParity.matrix';
/** The editor tab's webview type. */
export const EDITOR_PANEL_TYPE = 'portParity.matrixEditor';

/** Messages from media/panel.js. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'open'; uri: string; line: number; character: number }
  | { type: 'align'; service: string; folder: string }
  | { type: 'fix'; service: string; folder: string; index: number }
  | { type: 'reindex' };

export interface PanelHost {
  matrix(): MatrixDto | undefined;
  /** Opens a location the panel named; only URIs of the last matrix sent get here (see NamedLocations). */
  open(uri: string, line: number, character: number): Promise<void>;
  align(service: string, folder: string): Promise<void>;
  /** Applies a finding's own quick fix (a finding of the last matrix sent). */
  fix(finding: MatrixFindingDto): Promise<void>;
  reindex(): Promise<void>;
  /** Told of a panel request that was refused (for the log). */
  refused?(what: string): void;
}

/** One webview showing the matrix: the side bar's view or an editor tab. */
interface Target {
  webview: vscode.Webview;
  visible(): boolean;
  ready: boolean;
}

export class ParityPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly targets = new Set<Target>();
  private editorPanel?: vscode.WebviewPanel;
  /** The locations in the matrix last sent: the only ones an `open` from the webview may name. */
  private readonly named = new NamedLocations();
  /** The matrix last sent: a `fix` names a finding of it. */
  private sent: MatrixDto | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly host: PanelHost) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.attach(view.webview, () => view.visible, view.onDidChangeVisibility, view.onDidDispose);
  }

  /** Shows the matrix in an editor tab (one tab: a second call reveals it). */
  openInEditor(column: vscode.ViewColumn = vscode.ViewColumn.Active): void {
    if (this.editorPanel) {
      this.editorPanel.reveal(column);
      return;
    }
    const panel = vscode.window.createWebviewPanel(EDITOR_PANEL_TYPE, 'Port Parity Matrix', column, { enableFindWidget: true });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'parity.svg');
    this.editorPanel = panel;
    this.disposables.push(panel.onDidDispose(() => (this.editorPanel = undefined)));
    this.attach(panel.webview, () => panel.visible, panel.onDidChangeViewState, panel.onDidDispose);
  }

  private attach(webview: vscode.Webview, visible: () => boolean, onVisibility: vscode.Event<unknown>, onDispose: vscode.Event<void>): void {
    const target: Target = { webview, visible, ready: false };
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      script: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.js')).toString(),
      style: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      nonce: nonce(),
    });
    this.targets.add(target);
    // This webview's listeners go with it; the provider's own go with the extension.
    const listeners = [
      webview.onDidReceiveMessage((m: PanelMessage) => void this.onMessage(target, m)),
      // A hidden view drops its DOM (no retainContextWhenHidden); the reloaded script asks again with 'ready'.
      onVisibility(() => {
        if (visible()) this.postTo(target);
      }),
    ];
    this.disposables.push(...listeners);
    this.disposables.push(onDispose(() => {
      this.targets.delete(target);
      for (const d of listeners) d.dispose();
    }));
  }

  /** Sends the current matrix to every webview that is there and listening. */
  post(): void {
    for (const t of this.targets) this.postTo(t);
  }

  private postTo(t: Target): void {
    if (!t.ready) return;
    const matrix = this.host.matrix() ?? null;
    this.sent = matrix;
    this.named.update(matrix);
    void t.webview.postMessage({ type: 'matrix', matrix });
  }

  private async onMessage(t: Target, m: PanelMessage): Promise<void> {
    try {
      if (m.type === 'ready') {
        t.ready = true;
        this.postTo(t);
      } else if (m.type === 'open') {
        if (this.named.allows(m.uri)) await this.host.open(m.uri, position(m.line), position(m.character));
        else this.host.refused?.(`an open of ${JSON.stringify(String(m.uri)).slice(0, 200)}: not a location of the matrix the panel shows`);
      } else if (m.type === 'align' && typeof m.service === 'string') await this.host.align(m.service, String(m.folder ?? ''));
      else if (m.type === 'fix') {
        const finding = findingOf(this.sent, m.service, m.folder, m.index);
        if (finding?.fix) await this.host.fix(finding);
        else this.host.refused?.(`a fix of finding ${JSON.stringify(m.index)} of ${JSON.stringify(String(m.service)).slice(0, 200)}: no such fixable finding in the matrix the panel shows`);
      } else if (m.type === 'reindex') await this.host.reindex();
    } catch (e) {
      void vscode.window.showErrorMessage(`Port Parity: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    this.editorPanel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A line or column from the webview: a non-negative integer, 0 for anything else. */
function position(n: unknown): number {
  const v = Number(n);
  return Number.isSafeInteger(v) && v >= 0 ? v : 0;
}

function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}
