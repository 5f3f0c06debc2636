// The Services tree view beside the parity panel: services → environments (ports) → findings, from the
// same matrix. A click opens the declaration or the finding; the inline actions are the finding's quick
// fix, and align / explain for a service (package.json `view/item/context`).
import * as vscode from 'vscode';
import type { MatrixDto } from '../../server/src/protocol';
import { serviceDescription, treeOf } from './treeModel';
import type { FindingNode, ServiceNode, TreeNode } from './treeModel';

export const TREE_ID = 'portParity.services';

const SEVERITY_ICON = { error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')), warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')), info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')) };
const STATUS_ICON = { reference: 'star-full', agree: 'pass', differs: 'diff', missing: 'circle-slash' } as const;

export class ServicesTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ServiceNode[] = [];

  /** `openFinding`: the command a finding's click runs, given the node. */
  constructor(private readonly matrix: () => MatrixDto | undefined, private readonly openFinding: string) {}

  /** The matrix changed: the tree is rebuilt from it. */
  refresh(): void {
    this.roots = treeOf(this.matrix());
    this.changed.fire(undefined);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots;
    return node.kind === 'finding' ? [] : node.children;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'service') return serviceItem(node);
    if (node.kind === 'finding') return findingItem(node, this.openFinding);
    const item = new vscode.TreeItem(node.cell.environment, node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = node.description;
    item.iconPath = new vscode.ThemeIcon(STATUS_ICON[node.cell.status], node.cell.status === 'differs' ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    item.contextValue = `environment.${node.cell.status}`;
    item.tooltip = `${node.service} in ${node.cell.environment}: ${node.description}`;
    const loc = node.cell.locations[0];
    if (loc) {
      const pos = new vscode.Position(loc.line, loc.character);
      item.command = { command: 'vscode.open', title: 'Open the declaration', arguments: [vscode.Uri.parse(loc.uri, true), { selection: new vscode.Range(pos, pos), preview: false }] };
    }
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function serviceItem(n: ServiceNode): vscode.TreeItem {
  const item = new vscode.TreeItem(n.service, n.drift || n.worst === 'error' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `${n.folder}\u0000${n.service}`;
  item.description = serviceDescription(n);
  item.iconPath = n.worst ? SEVERITY_ICON[n.worst] : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  item.contextValue = n.drift ? 'service.drift' : 'service';
  const ref = n.row.reference;
  item.tooltip = `${n.service}${ref ? `: reference ${ref.ports.join(', ')} (${ref.contract ? 'the port contract' : ref.environment})` : ''}${n.drift ? ', drifts' : ''}`;
  return item;
}

function findingItem(n: FindingNode, open: string): vscode.TreeItem {
  const x = n.finding;
  const item = new vscode.TreeItem(x.message, vscode.TreeItemCollapsibleState.None);
  item.description = x.rule;
  item.iconPath = SEVERITY_ICON[x.severity];
  item.contextValue = x.fix ? 'finding.fixable' : 'finding';
  item.tooltip = new vscode.MarkdownString().appendText(`${x.message}\n\n${x.rule} · ${vscode.workspace.asRelativePath(vscode.Uri.parse(x.uri, true))}:${x.line + 1}${x.fix ? `\nQuick fix: ${x.fix}` : ''}`);
  item.command = { command: open, title: 'Go to the finding', arguments: [n] };
  item.accessibilityInformation = { label: `${x.severity}: ${x.message} (${x.rule})${x.fix ? `, quick fix: ${x.fix}` : ''}` };
  return item;
}

/** A tree node's finding, when a command was given one (the tree passes its node). */
export function findingArg(arg: unknown): FindingNode['finding'] | undefined {
  const n = arg as Partial<FindingNode> | undefined;
  return n && n.kind === 'finding' && n.finding ? n.finding : undefined;
}

/** A service named by a command's argument: a tree node, or nothing (strings are the panel's and the palette's way). */
export function serviceArg(arg: unknown): { service: string; folder: string } | undefined {
  const n = arg as Partial<ServiceNode> | undefined;
  return n && typeof n === 'object' && typeof n.service === 'string' && typeof n.folder === 'string' ? { service: n.service, folder: n.folder } : undefined;
}
