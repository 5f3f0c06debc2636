// The `port-parity` task's command line, from its definition in tasks.json (pure: the tests run it).

/** A `{ "type": "port-parity" }` task as tasks.json spells it (package.json `taskDefinitions`). */
export interface PortParityTaskDefinition {
  type: 'port-parity';
  command: 'check' | 'fix';
  /** The folder to check, relative to the workspace folder and inside it. */
  folder?: string;
  args?: string[];
}

/** The problem matcher that reads the command's output: check's text (or compact) report, nothing for fix's diffs. */
export function taskMatcher(d: PortParityTaskDefinition): string[] {
  if (d.command !== 'check') return [];
  const args = Array.isArray(d.args) ? d.args : [];
  const compact = args.some((a, i) => a === '--format=compact' || ((a === '--format' || a === '-f') && args[i + 1] === 'compact'));
  return [compact ? '$port-parity-compact' : '$port-parity'];
}

/**
 * The arguments for Node to run the packaged CLI with, in the workspace folder: paths in its output are
 * then relative to the folder, as the matcher's `fileLocation` reads them. An unknown command is refused
 * (tasks.json is the user's text; the schema says check or fix).
 */
export function taskArgs(cli: string, d: PortParityTaskDefinition): string[] | string {
  if (d.command !== 'check' && d.command !== 'fix') return `a port-parity task's command is check or fix, not "${String(d.command)}"`;
  const folder = typeof d.folder === 'string' && d.folder ? d.folder : '.';
  if (d.command === 'check' && !insideFolder(folder)) return `a port-parity task's folder is a folder inside the workspace folder, not "${folder}": the problem matcher reads the paths the CLI prints relative to the workspace folder`;
  const args = Array.isArray(d.args) ? d.args.filter((a): a is string => typeof a === 'string') : [];
  return [cli, d.command, folder, ...args];
}

/**
 * Whether a relative path stays inside its base: the CLI prints paths under the current folder relative to
 * it and others absolute, and the matchers read them `relative` to the workspace folder. (Not `autoDetect`:
 * VS Code ends a task's matching 100 ms after the process exits without waiting for the file checks
 * autoDetect makes for each problem, and the last file's problems were lost.)
 */
function insideFolder(path: string): boolean {
  if (/^([\\/]|[A-Za-z]:)/.test(path)) return false;
  let depth = 0;
  for (const part of path.split(/[\\/]/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return false;
  }
  return true;
}
