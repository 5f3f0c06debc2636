// The status bar item: drift and problems at a glance; a click opens the parity panel. It hides where
// the workspace holds nothing Port Parity reads (a folder with only a GitHub workflow) and while the
// extension is turned off (portParity.enable).
import * as vscode from 'vscode';
import type { MatrixDto } from '../../server/src/protocol';
import { statusText } from './format';

export interface StatusItem extends vscode.Disposable {
  /** Shows the counts of a matrix (or "indexing" before the first one); `null`: the server is off, hide. */
  show(m: MatrixDto | undefined | null): void;
  text(): string;
  /** Whether the item is shown now. */
  visible(): boolean;
}

export function createStatusItem(command: string): StatusItem {
  const item = vscode.window.createStatusBarItem('portParity.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Port Parity';
  item.command = command;
  let shown = false;
  const show = (m: MatrixDto | undefined | null): void => {
    const s = m === null ? undefined : statusText(m);
    shown = !!s?.visible;
    if (!s || !shown) {
      item.hide();
      return;
    }
    item.text = s.text;
    item.tooltip = s.tooltip;
    item.accessibilityInformation = { label: `${s.text.replace(/\$\([^)]*\)/g, '').trim()}. ${s.tooltip}` };
    item.show();
  };
  show(undefined);
  return { show, text: () => item.text, visible: () => shown, dispose: () => item.dispose() };
}
