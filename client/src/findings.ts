// A finding's quick fix from outside the editor (the panel's details, the tree view): the editor's own
// code actions at the finding's range, asked of the language server, so both offer the same fix.
import * as vscode from 'vscode';
import type { MatrixFindingDto } from '../../server/src/protocol';

export const findingRange = (x: MatrixFindingDto): vscode.Range => new vscode.Range(x.line, x.character, x.endLine, x.endCharacter);

/** Opens the file at the finding, its range selected. */
export async function openFinding(x: MatrixFindingDto): Promise<void> {
  const uri = vscode.Uri.parse(x.uri, true);
  if (uri.scheme !== 'file') return;
  await vscode.window.showTextDocument(uri, { selection: findingRange(x), preview: false });
}

/** Applies the quick fix the editor offers for the finding (the one titled `x.fix`); says so when it is gone. */
export async function applyFindingFix(x: MatrixFindingDto, log: (line: string) => void): Promise<boolean> {
  const uri = vscode.Uri.parse(x.uri, true);
  if (uri.scheme !== 'file' || !x.fix) return false;
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, findingRange(x), vscode.CodeActionKind.QuickFix.value)) ?? [];
  // A Command (its `command` a string) is not a code action with an edit: only code actions match.
  const action = actions.find((a) => a.title === x.fix && typeof a.command !== 'string') as vscode.CodeAction | undefined;
  if (!action) {
    void vscode.window.showInformationMessage(`Port Parity: "${x.fix}" is no longer offered at ${vscode.workspace.asRelativePath(uri)}:${x.line + 1}; the file may have changed.`);
    return false;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showErrorMessage(`Port Parity: could not apply "${x.fix}".`);
    return false;
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  log(`applied "${x.fix}" (${x.rule}) at ${vscode.workspace.asRelativePath(uri)}:${x.line + 1}`);
  return true;
}
