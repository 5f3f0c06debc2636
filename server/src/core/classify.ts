// Which plug-in reads a file: the registry names its kind, then the plug-ins of that kind are asked in turn.
import { skipped } from './formats/skipped';
import { kindOfPath, readersOf } from './formats/registry';
import type { ExtractContext } from './formats/types';
import { LineIndex } from './text';
import type { FileFacts, SourceFile } from './types';
import { sayPartlyRead, sayWhyNotRead } from './unread';
import { parseYaml } from './yaml';
import type { ParsedYaml } from './yaml';

export { kindOfPath };

/**
 * Extracts one file's facts; never throws. `interpolation`: the `.env` beside a compose file, or a
 * function that gives it, called only when a plug-in reads it (the store records that read).
 * `parsed`: the file's YAML parse when a renderer already made it (a kustomization's resource or patch).
 */
export function extractFile(file: SourceFile, interpolation: Record<string, string> | (() => Record<string, string>) = {}, parsed?: ParsedYaml): FileFacts {
  const kind = kindOfPath(file.path);
  try {
    let yaml = parsed;
    const parse = (): ParsedYaml => (yaml ??= parseYaml(file.text));
    if (file.text.includes('\u0000')) return sayWhyNotRead(skipped(file, 'binary file'), file, kind, parse);
    if (!kind) return skipped(file, 'not a deployment file');
    let vars = typeof interpolation === 'function' ? undefined : interpolation;
    // A function, not a getter: an object with an accessor costs the whole run its memory (measured).
    const ctx: ExtractContext = { kind, interpolation: () => (vars ??= (interpolation as () => Record<string, string>)()), yaml: parse };
    const claimed = readersOf(kind).reduce<FileFacts | undefined>((got, plugin) => got ?? plugin.extract?.(file, ctx), undefined) ?? unclaimed(file, kind, ctx);
    // Found but not read: a file that looks like deployment configuration says why, at the place.
    const facts = claimed.kind === 'skipped' ? sayWhyNotRead(claimed, file, kind, parse) : sayPartlyRead(claimed, file, yaml);
    // What the YAML parse left unread is said at the place, whatever the file turned out to be (Compose
    // reads its own parse and says it; a template is not YAML yet).
    if (yaml?.notes.length && facts.kind !== 'compose' && !(facts.kind === 'skipped' && facts.reason === 'template')) {
      const ix = new LineIndex(file.path, file.text);
      facts.unknowns = [...(facts.unknowns ?? []), ...yaml.notes.map((n) => ({ message: n.message, loc: ix.loc(n.offset, n.offset) }))];
    }
    return facts;
  } catch (e) {
    const f = skipped(file, 'unreadable');
    f.problems.push({ message: `could not read ${file.path}: ${(e as Error).message}`, loc: new LineIndex(file.path, file.text).loc(0, 0) });
    return f;
  }
}

/** A file of a kind that no plug-in took: why. */
function unclaimed(file: SourceFile, kind: string, ctx: ExtractContext): FileFacts {
  if (kind !== 'yaml') return skipped(file, 'not a deployment file');
  // YAML syntax errors are the YAML language server's to report; what parsed is still read.
  return skipped(file, ctx.yaml().errors.length ? 'unparsable YAML' : 'YAML that is neither Kubernetes nor Compose');
}
