// The facts of a file the core read but that carries no port facts of its own, with the reason.
import { commentSuppressions } from '../extract/suppress';
import type { SkippedFacts, SourceFile } from '../types';

export function skipped(file: SourceFile, reason: string): SkippedFacts {
  return { kind: 'skipped', file: file.path, reason, problems: [], suppressions: reason === 'binary file' ? [] : commentSuppressions(file.text) };
}

/** A folder named `templates` holds the path (a chart's templates). */
export function inTemplates(path: string): boolean {
  return path.split('/').slice(0, -1).includes('templates');
}
