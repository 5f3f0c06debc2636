// "Run Locally with Production Ports": the Compose override `port-parity local` writes, shown first as a
// document; written (by the server's safe writer, exactly the text shown) only when the user says so.
import * as vscode from 'vscode';
import { LOCAL_REQUEST } from '../../server/src/protocol';
import type { LocalParams, LocalResult } from '../../server/src/protocol';
import type { CommandHost } from './commands';

/** The environment to take ports from: production when there is one, else a pick of the matrix's. */
async function referenceEnv(h: CommandHost): Promise<string | undefined> {
  const envs = h.feed.latest()?.environments ?? [];
  const others = envs.filter((e) => e !== 'local');
  if (others.length === 1) return others[0];
  const sorted = [...others.filter((e) => e === 'production'), ...others.filter((e) => e !== 'production')];
  if (!sorted.length) return 'production';
  return vscode.window.showQuickPick(sorted, { title: 'Run Locally with Production Ports', placeHolder: 'The environment whose internal ports the local containers take' });
}

export async function runLocally(h: CommandHost): Promise<void> {
  const env = await referenceEnv(h);
  if (!env) return;
  const folder = vscode.workspace.workspaceFolders?.length && vscode.workspace.workspaceFolders.length > 1 ? (await vscode.window.showWorkspaceFolderPick())?.uri.fsPath : undefined;
  const params: LocalParams = { env, ...(folder ? { folder } : {}) };
  const plan = await h.client.sendRequest<LocalResult>(LOCAL_REQUEST, params);
  for (const u of plan.unaligned) h.output.appendLine(`local ${env}: not aligned: ${u.service}: ${u.why}`);
  if (plan.errors.length) {
    void vscode.window.showErrorMessage(`Port Parity: ${plan.errors.join('; ')}`);
    return;
  }
  if (!plan.files.length) {
    void vscode.window.showInformationMessage(`Port Parity: no local compose service needs moving to ${env}'s ports${plan.unaligned.length ? ` (${plan.unaligned.length} could not be aligned: see the output)` : ''}.`);
    return;
  }
  // Shown first: the exact text that will be written, one document per file.
  for (const f of plan.files) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'yaml', content: f.text }), { preview: false });
  const names = plan.files.map((f) => f.path).join(', ');
  const notAligned = plan.unaligned.length ? ` Not aligned: ${plan.unaligned.map((u) => u.service).join(', ')} (see the output).` : '';
  const answer = await vscode.window.showInformationMessage(`Write ${names}? It makes ${plan.files.flatMap((f) => f.services).join(', ')} listen on ${env}'s internal ports; published host ports stay.${notAligned}`, { modal: true }, 'Write');
  if (answer !== 'Write') return;
  const done = await h.client.sendRequest<LocalResult>(LOCAL_REQUEST, { ...params, folder: plan.folder, write: plan.files.map((f) => ({ path: f.path, text: f.text })) });
  if (done.errors.length) {
    void vscode.window.showErrorMessage(`Port Parity: ${done.errors.join('; ')}`);
    return;
  }
  for (const f of plan.files) h.output.appendLine(`wrote ${f.path}: docker compose ${f.composeFiles.map((c) => `-f ${c}`).join(' ')} -f ${f.path} up`);
  if (plan.folder) await vscode.window.showTextDocument(vscode.Uri.joinPath(vscode.Uri.file(plan.folder), plan.files[0].path), { preview: false });
  void vscode.window.setStatusBarMessage(`Port Parity: wrote ${names}`, 5000);
}
