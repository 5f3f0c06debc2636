// The status bar item: drift and findings at a glance; a click opens the parity panel.
import * as vscode from 'vscode';
import type { MatrixDto } from '../../server/src/protocol';
import { statusText } from './format';

export interface StatusItem extends vscode.Disposable {
  /** Shows the counts of a matrix (or "indexing" before the first one). */
  show(m: MatrixDto | undefined): void;
  text(): string;
}

export function createStatusItem(command: string): StatusItem {
  const item = vscode.window.createStatusBarItem('portParity.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Port Parity';
  item.command = command;
  const show = (m: MatrixDto | undefined): void => {
    const s = statusText(m);
    item.text = s.text;
    item.tooltip = s.tooltip;
    item.accessibilityInformation = { label: s.tooltip.replace(/\$\([^)]*\)/g, '').trim() };
  };
  show(undefined);
  item.show();
  return { show, text: () => item.text, dispose: () => item.dispose() };
}
