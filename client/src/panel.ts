// The parity panel: a webview view that renders the matrix with media/panel.js. The HTML carries no
// workspace data: the matrix goes over postMessage and the script builds the DOM with textContent.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { MatrixDto } from '../../server/src/protocol';

export const VIEW_ID = 'portParity.matrix';

/** Messages from media/panel.js. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'open'; uri: string; line: number; character: number }
  | { type: 'align'; service: string; folder: string }
  | { type: 'reindex' };

export interface PanelHost {
  matrix(): MatrixDto | undefined;
  open(uri: string, line: number, character: number): Promise<void>;
  align(service: string, folder: string): Promise<void>;
  reindex(): Promise<void>;
}

export class ParityPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly host: PanelHost) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    view.webview.html = panelHtml(view.webview, media, nonce());
    this.disposables.push(
      view.webview.onDidReceiveMessage((m: PanelMessage) => void this.onMessage(m)),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
      // A hidden view drops its DOM only when it is not retained; posting again on show is cheap.
      view.onDidChangeVisibility(() => {
        if (view.visible) this.post();
      }),
    );
  }

  /** Sends the current matrix to the webview, when it is there and listening. */
  post(): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage({ type: 'matrix', matrix: this.host.matrix() ?? null });
  }

  private async onMessage(m: PanelMessage): Promise<void> {
    try {
      if (m.type === 'ready') {
        this.ready = true;
        this.post();
      } else if (m.type === 'open' && typeof m.uri === 'string') await this.host.open(m.uri, Number(m.line) || 0, Number(m.character) || 0);
      else if (m.type === 'align' && typeof m.service === 'string') await this.host.align(m.service, String(m.folder ?? ''));
      else if (m.type === 'reindex') await this.host.reindex();
    } catch (e) {
      void vscode.window.showErrorMessage(`Port Parity: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** The static shell: strict CSP, only the extension's own script and stylesheet, nothing from the workspace. */
export function panelHtml(webview: vscode.Webview, media: vscode.Uri, nonceValue: string): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonceValue}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Port Parity</title>
</head>
<body>
<main id="app"><p class="empty">Indexing the workspace…</p></main>
<script nonce="${nonceValue}" src="${script.toString()}"></script>
</body>
</html>`;
}
