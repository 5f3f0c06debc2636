// The views of the Port Parity container: the parity panel (side bar, or an editor tab) and the Services
// tree, fed by the same matrix, and the commands they act through (open in editor, go to / fix a finding).
import * as vscode from 'vscode';
import { align, reindex } from './commands';
import type { CommandHost } from './commands';
import { applyFindingFix, openFinding } from './findings';
import { ParityPanel, VIEW_ID } from './panel';
import { findingArg, ServicesTree, TREE_ID } from './tree';

/** The ids of the views' commands (extension.ts's COMMANDS, which package.json contributes). */
export interface ViewCommands {
  openInEditor: string;
  openFinding: string;
  fixFinding: string;
}

export interface Views {
  panel: ParityPanel;
  tree: ServicesTree;
  /** The matrix changed: both views follow. */
  refresh(): void;
}

async function openLocation(uri: string, line: number, character: number): Promise<void> {
  // The panel passes only file: URIs of the matrix it sent (NamedLocations); the scheme is checked again here.
  const target = vscode.Uri.parse(uri, true);
  if (target.scheme !== 'file') return;
  const pos = new vscode.Position(line, character);
  await vscode.window.showTextDocument(target, { selection: new vscode.Range(pos, pos), preview: false });
}

export function createViews(context: vscode.ExtensionContext, h: CommandHost, ids: ViewCommands): Views {
  const log = (line: string): void => h.output.appendLine(line);
  const panel = new ParityPanel(context.extensionUri, {
    matrix: () => h.feed.latest(),
    open: openLocation,
    align: (service, folder) => align(h, service, folder || undefined),
    fix: async (x) => void (await applyFindingFix(x, log)),
    reindex: () => reindex(h),
    refused: (what) => h.output.warn(`Port Parity panel: refused ${what}`),
  });
  const tree = new ServicesTree(() => h.feed.latest(), ids.openFinding);
  const treeView = vscode.window.createTreeView(TREE_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(
    panel,
    vscode.window.registerWebviewViewProvider(VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }),
    tree,
    treeView,
    vscode.commands.registerCommand(ids.openInEditor, () => panel.openInEditor()),
    vscode.commands.registerCommand(ids.openFinding, async (arg: unknown) => {
      const x = findingArg(arg);
      if (x) await openFinding(x);
    }),
    vscode.commands.registerCommand(ids.fixFinding, async (arg: unknown) => {
      const x = findingArg(arg);
      if (x?.fix) await applyFindingFix(x, log);
    }),
  );
  return {
    panel,
    tree,
    refresh: () => {
      panel.post();
      tree.refresh();
    },
  };
}
