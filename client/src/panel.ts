// The parity panel: a webview view that renders the matrix with media/panel.js. The HTML carries no
// workspace data: the matrix goes over postMessage and the script builds the DOM with textContent.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { MatrixDto } from '../../server/src/protocol';
import { panelHtml } from './html';
import { NamedLocations } from './locations';

export const VIEW_ID = 'portParity.matrix';

/** Messages from media/panel.js. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'open'; uri: string; line: number; character: number }
  | { type: 'align'; service: string; folder: string }
  | { type: 'reindex' };

export interface PanelHost {
  matrix(): MatrixDto | undefined;
  /** Opens a location the panel named; only URIs of the last matrix sent get here (see NamedLocations). */
  open(uri: string, line: number, character: number): Promise<void>;
  align(service: string, folder: string): Promise<void>;
  reindex(): Promise<void>;
  /** Told of a panel request that was refused (for the log). */
  refused?(what: string): void;
}

export class ParityPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private ready = false;
  /** The locations in the matrix last sent: the only ones an `open` from the webview may name. */
  private readonly named = new NamedLocations();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly host: PanelHost) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      script: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.js')).toString(),
      style: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      nonce: nonce(),
    });
    // This view's listeners go with it; the provider's own go with the extension.
    const listeners = [
      view.webview.onDidReceiveMessage((m: PanelMessage) => void this.onMessage(m)),
      // A hidden view drops its DOM (no retainContextWhenHidden); the reloaded script asks again with 'ready'.
      view.onDidChangeVisibility(() => {
        if (view.visible) this.post();
      }),
    ];
    this.disposables.push(...listeners);
    this.disposables.push(view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
      for (const d of listeners) d.dispose();
    }));
  }

  /** Sends the current matrix to the webview, when it is there and listening. */
  post(): void {
    if (!this.view || !this.ready) return;
    const matrix = this.host.matrix() ?? null;
    this.named.update(matrix);
    void this.view.webview.postMessage({ type: 'matrix', matrix });
  }

  private async onMessage(m: PanelMessage): Promise<void> {
    try {
      if (m.type === 'ready') {
        this.ready = true;
        this.post();
      } else if (m.type === 'open') {
        if (this.named.allows(m.uri)) await this.host.open(m.uri, position(m.line), position(m.character));
        else this.host.refused?.(`an open of ${JSON.stringify(String(m.uri)).slice(0, 200)}: not a location of the matrix the panel shows`);
      } else if (m.type === 'align' && typeof m.service === 'string') await this.host.align(m.service, String(m.folder ?? ''));
      else if (m.type === 'reindex') await this.host.reindex();
    } catch (e) {
      void vscode.window.showErrorMessage(`Port Parity: ${(e as Error).message}`);
    }
  }

  dispose(): void {
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
