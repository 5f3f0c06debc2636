// The commands' bodies: align a service, re-index, propose the port contract, export the parity report.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { ALIGN_COMMAND, MATRIX_REQUEST, REINDEX_REQUEST, SERVICE_AT_REQUEST } from '../../server/src/protocol';
import type { MatrixDto, ReindexResult, ServiceAtParams, ServiceAtResult } from '../../server/src/protocol';
import { alignTarget, contractYaml, driftingRows, envName, markdownReport } from './format';
import type { ReportFinding } from './format';
import type { MatrixFeed } from './matrixFeed';

/** What the commands work with: the language client, the matrix it sent, the output channel. */
export interface CommandHost {
  client: LanguageClient;
  feed: MatrixFeed;
  output: vscode.LogOutputChannel;
}

const request = async <R>(h: CommandHost, method: string, params?: unknown): Promise<R> => (params === undefined ? h.client.sendRequest<R>(method) : h.client.sendRequest<R>(method, params));

/** The latest matrix, or the server's answer when none came yet. */
const currentMatrix = async (h: CommandHost): Promise<MatrixDto> => h.feed.latest() ?? (await request<MatrixDto>(h, MATRIX_REQUEST));

/** The service whose port token is under the cursor, whatever its state. */
export async function serviceAt(h: CommandHost): Promise<ServiceAtResult | undefined> {
  const ed = vscode.window.activeTextEditor;
  if (!ed || ed.document.uri.scheme !== 'file') return undefined;
  const params: ServiceAtParams = { textDocument: { uri: ed.document.uri.toString() }, position: { line: ed.selection.active.line, character: ed.selection.active.character } };
  return (await request<ServiceAtResult | null>(h, SERVICE_AT_REQUEST, params)) ?? undefined;
}

/** The service whose port token is under the cursor, when it drifts (or nothing is known yet). */
async function serviceUnderCursor(h: CommandHost): Promise<{ service: string; folder: string } | undefined> {
  const at = await serviceAt(h);
  return at && (h.feed.latest()?.rows.some((r) => r.service === at.service && r.folder === at.folder && r.drift) ?? true) ? at : undefined;
}

/** A drifting service picked from a list; undefined when none drifts (said) or the pick is cancelled. */
async function pickDrifting(h: CommandHost): Promise<{ service: string; folder: string } | undefined> {
  const m = await currentMatrix(h);
  const rows = driftingRows(m);
  if (rows.length === 0) {
    void vscode.window.showInformationMessage('Port Parity: every service serves the same ports in all environments.');
    return undefined;
  }
  const folders = new Set(rows.map((r) => r.folder));
  const pick = await vscode.window.showQuickPick(
    rows.map((r) => ({
      label: r.variant !== undefined ? `${r.service} (${r.variant})` : r.service,
      description: r.cells.filter((c) => c.ports.length).map((c) => `${envName(m, c.environment)} ${c.ports.join(', ')}${c.status === 'differs' ? ' ≠' : ''}`).join(' · '),
      detail: folders.size > 1 ? r.folder : undefined,
      row: r,
    })),
    { title: 'Align Service in All Environments', placeHolder: 'Pick a drifting service' },
  );
  return pick?.row;
}

/** "Align Service in All Environments": the given service, the one under the cursor, or a pick. */
export async function align(h: CommandHost, service?: string, folder?: string): Promise<void> {
  if (!service) ({ service, folder } = (await serviceUnderCursor(h)) ?? {});
  if (!service) ({ service, folder } = (await pickDrifting(h)) ?? {});
  if (!service) return;
  const edit = await request<WorkspaceEdit | null>(h, ALIGN_COMMAND, { folder, service });
  if (!edit) {
    void vscode.window.showInformationMessage(`Port Parity: ${service} serves the same ports in all environments; nothing to align.`);
    return;
  }
  const we = await h.client.protocol2CodeConverter.asWorkspaceEdit(edit);
  const target = h.feed.latest()?.rows.find((r) => r.service === service && (!folder || r.folder === folder));
  if (!(await vscode.workspace.applyEdit(we))) {
    void vscode.window.showErrorMessage(`Port Parity: could not apply the edits that align ${service}.`);
    return;
  }
  const files = we.entries().length;
  h.output.appendLine(`aligned ${service}${target ? ` to ${alignTarget(target).join(', ')}` : ''} in ${files} file(s)`);
  void vscode.window.setStatusBarMessage(`Port Parity: aligned ${service} in ${files} file${files === 1 ? '' : 's'}`, 5000);
}

export async function reindex(h: CommandHost): Promise<void> {
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Port Parity: re-indexing' }, () => request<ReindexResult>(h, REINDEX_REQUEST));
  void vscode.window.setStatusBarMessage(`Port Parity: re-indexed ${r.files} files in ${r.folders} folder${r.folders === 1 ? '' : 's'}`, 5000);
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const all = vscode.workspace.workspaceFolders ?? [];
  if (all.length <= 1) return all[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder whose port contract to write' });
}

/** The folder's `.portparity.yaml` (or `.yml`) and its text, or where a new one goes. */
async function contractFile(wf: vscode.WorkspaceFolder): Promise<{ target: vscode.Uri; existing?: string }> {
  for (const name of ['.portparity.yaml', '.portparity.yml']) {
    const uri = vscode.Uri.joinPath(wf.uri, name);
    try {
      return { target: uri, existing: (await vscode.workspace.openTextDocument(uri)).getText() };
    } catch {
      // not there
    }
  }
  return { target: vscode.Uri.joinPath(wf.uri, '.portparity.yaml') };
}

/**
 * "Create Port Contract": the contract goes into the editor as an unsaved change to review, never
 * straight to disk. An existing `.portparity.yaml` opens beside a diff with its saved text; a new one
 * is an unsaved document that saves to its place. The user saves it (or the message's "Save") or
 * reverts it. The server checks the editor's text meanwhile (portParity.run onType): the diagnostics
 * show what the contract would change before it is kept.
 */
export async function createContract(h: CommandHost): Promise<vscode.TextDocument | undefined> {
  const wf = await pickFolder();
  if (!wf) {
    void vscode.window.showWarningMessage('Port Parity: open a folder to write its port contract.');
    return undefined;
  }
  const m = await currentMatrix(h);
  const { target, existing } = await contractFile(wf);
  const { text, services } = contractYaml(m, wf.uri.fsPath, existing);
  const uri = existing === undefined ? target.with({ scheme: 'untitled' }) : target;
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Port Parity: could not put the port contract into ${relative(wf.uri.fsPath, target.fsPath)}.`);
    return undefined;
  }
  await vscode.window.showTextDocument(doc, { preview: false });
  // The change against the saved file, in VS Code's own diff (a new file has only its unsaved text to show).
  if (existing !== undefined && existing !== text) await vscode.commands.executeCommand('workbench.files.action.compareWithSaved', uri).then(undefined, () => undefined);
  const name = relative(wf.uri.fsPath, target.fsPath);
  const what = existing === text ? `${name} already holds this port contract` : `the port contract for ${services} service${services === 1 ? '' : 's'} is in ${name}, unsaved: review it, then save it to keep it`;
  void vscode.window.showInformationMessage(`Port Parity: ${what}.`, ...(doc.isDirty ? ['Save'] : [])).then((pick) => (pick === 'Save' ? doc.save() : undefined));
  return doc;
}

/** The editor's Port Parity diagnostics, as the report lists them. */
function reportFindings(): ReportFinding[] {
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
  return findings;
}

export async function exportReport(h: CommandHost): Promise<vscode.TextDocument> {
  const m = await currentMatrix(h);
  const name = vscode.workspace.name ? `Port Parity report: ${vscode.workspace.name}` : undefined;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdownReport(m, reportFindings(), name) });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
