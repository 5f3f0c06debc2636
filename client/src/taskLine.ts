// The `port-parity` task's command line, from its definition in tasks.json (pure: the tests run it).

/** A `{ "type": "port-parity" }` task as tasks.json spells it (package.json `taskDefinitions`). */
export interface PortParityTaskDefinition {
  type: 'port-parity';
  command: 'check' | 'fix';
  /** The folder to check, relative to the workspace folder. */
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
  const args = Array.isArray(d.args) ? d.args.filter((a): a is string => typeof a === 'string') : [];
  return [cli, d.command, typeof d.folder === 'string' && d.folder ? d.folder : '.', ...args];
}
