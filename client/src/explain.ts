// "Explain Service": how a service was formed (or every file found), from the server's portParity/explain,
// in a read-only Markdown document: the editor's `port-parity explain`.
import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import { EXPLAIN_REQUEST, MATRIX_REQUEST, SERVICE_AT_REQUEST } from '../../server/src/protocol';
import type { ExplainParams, ExplainResult, MatrixDto, ServiceAtParams, ServiceAtResult } from '../../server/src/protocol';
import { serviceAt } from './commands';
import { envName } from './format';
import type { CommandHost } from './commands';

/** The scheme of the explanation documents: read-only, their text from the provider below. */
export const EXPLAIN_SCHEME = 'port-parity-explain';

/** The explanations shown, by URI; a document asked again shows the newest. */
export class ExplainDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

interface Target {
  service?: string;
  folder?: string;
  files?: boolean;
}

/** A service from the model (the one under the cursor first), or every file found. */
async function pick(h: CommandHost): Promise<Target | undefined> {
  const m = h.feed.latest() ?? (await h.client.sendRequest<MatrixDto>(MATRIX_REQUEST));
  const here = await serviceAt(h);
  const folders = new Set(m.rows.map((r) => r.folder));
  const services = m.rows.filter((r) => r.variant === undefined).map((r) => ({
    label: r.service || '(no name)',
    description: r.cells.filter((c) => c.ports.length).map((c) => `${envName(m, c.environment)} ${c.ports.join(', ')}`).join(' · '),
    detail: folders.size > 1 ? r.folder : undefined,
    target: { service: r.service, folder: r.folder } as Target,
  }));
  const first = services.findIndex((s) => here && s.target.service === here.service && s.target.folder === here.folder);
  if (first > 0) services.unshift(...services.splice(first, 1));
  const files = { label: '$(files) Every file found', description: 'what each file gives, or why it gives nothing (explain --files)', detail: undefined, target: { files: true, folder: here?.folder } as Target };
  const chosen = await vscode.window.showQuickPick([...services, files], { title: 'Port Parity: Explain Service', placeHolder: 'Pick a service to see how it was formed' });
  return chosen?.target;
}

/** "Explain Service": the given service, else a pick; the explanation opens beside, read-only. */
export async function explainService(h: CommandHost, docs: ExplainDocuments, service?: string, folder?: string): Promise<void> {
  const target = service !== undefined ? { service, folder } : await pick(h);
  if (!target) return;
  const params: ExplainParams = { ...target };
  const r = await h.client.sendRequest<ExplainResult | null>(EXPLAIN_REQUEST, params);
  if (!r) {
    void vscode.window.showInformationMessage(target.files ? 'Port Parity: nothing was checked yet.' : `Port Parity: no service named ${target.service} (the matrix lists them).`);
    return;
  }
  const name = target.files ? 'files' : encodeURIComponent(target.service || 'no-name');
  const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name}.md`, query: target.folder ? `folder=${encodeURIComponent(target.folder)}` : '' });
  docs.set(uri, r.markdown);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

/**
 * The hover on a port token ends with a link that explains its service. Added here, not by the server,
 * so that other editors get no VS Code command in their hovers; the link is a Markdown string of its
 * own, trusted for this one command only (the server's hover text stays untrusted).
 */
export function explainHoverLink(client: () => LanguageClient | undefined, command: string): Middleware['provideHover'] {
  return async (document, position, token, next) => {
    const hover = await next(document, position, token);
    const lc = client();
    if (!hover || !lc || token.isCancellationRequested) return hover;
    const params: ServiceAtParams = { textDocument: { uri: document.uri.toString() }, position: { line: position.line, character: position.character } };
    const at = await lc.sendRequest<ServiceAtResult | null>(SERVICE_AT_REQUEST, params, token).catch(() => null);
    if (!at) return hover;
    const link = new vscode.MarkdownString(`[$(info) Explain how ${at.service.replace(/[\\`*_{}[\]()#+!|<>$]/g, '\\$&')} was formed](command:${command}?${encodeURIComponent(JSON.stringify([at.service, at.folder]))})`, true);
    link.isTrusted = { enabledCommands: [command] };
    return new vscode.Hover([...hover.contents, link], hover.range);
  };
}
