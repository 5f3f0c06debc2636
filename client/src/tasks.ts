// The `port-parity` task type: `port-parity check` (or `fix`) of a workspace folder, run by the CLI packaged
// with the extension, its report read into Problems by the `$port-parity` problem matcher.
import * as vscode from 'vscode';
import { taskArgs, taskMatcher } from './taskLine';
import type { PortParityTaskDefinition } from './taskLine';

export const TASK_TYPE = 'port-parity';

function toTask(cli: string, folder: vscode.WorkspaceFolder, d: PortParityTaskDefinition, output: vscode.LogOutputChannel): vscode.Task | undefined {
  const args = taskArgs(cli, d);
  if (typeof args === 'string') {
    output.warn(args);
    return undefined;
  }
  // The extension host's Node (Electron's, run as Node); no colour, so the matcher reads plain lines.
  const exec = new vscode.ProcessExecution(process.execPath, args, { cwd: folder.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' } });
  const task = new vscode.Task(d, folder, [d.command, d.folder].filter(Boolean).join(' '), TASK_TYPE, exec, taskMatcher(d));
  if (d.command === 'check') task.group = vscode.TaskGroup.Test;
  return task;
}

/** Provides `port-parity: check` for each workspace folder and runs the `port-parity` tasks of tasks.json. */
export function registerTasks(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): vscode.Disposable {
  const cli = context.asAbsolutePath('dist/cli.js');
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: () => (vscode.workspace.workspaceFolders ?? []).flatMap((f) => toTask(cli, f, { type: TASK_TYPE, command: 'check' }, output) ?? []),
    resolveTask: (task) => {
      const folder = task.scope && typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
      return folder ? toTask(cli, folder, task.definition as PortParityTaskDefinition, output) : undefined;
    },
  });
}
