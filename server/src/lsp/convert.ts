// The core's locations, findings and fixes as LSP values (0-based positions both sides).
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic, Location, Range, WorkspaceEdit } from 'vscode-languageserver/node';
import { archiveOf, RULE_META } from '../core';
import type { Finding, Fix, Loc } from '../core';
import type { ServerContext } from './context';
import type { Folder } from './folder';

export const range = (l: Loc): Range => ({ start: { line: l.line, character: l.col }, end: { line: l.endLine, character: l.endCol } });

/**
 * Where the editor is sent for a place: the place itself, or, for a file read out of a chart archive
 * (`charts/x.tgz/<entry>`, not a file on the disk), the `.tgz` at line 1, never a path inside it.
 */
export function onDisk(l: Loc): Loc {
  const archive = archiveOf(l.file);
  return archive === undefined ? l : { file: archive, start: 0, end: 0, line: 0, col: 0, endLine: 0, endCol: 0 };
}

/** For a place read out of a chart archive, the entry and line inside it as text says them (`redis/templates/s.yaml:9`). */
export function insideArchive(l: Loc): string | undefined {
  const archive = archiveOf(l.file);
  return archive === undefined ? undefined : `${l.file.slice(archive.length + 1)}:${l.line + 1}`;
}

/** A message about a place, naming the entry and line first when the place is inside an archive. */
export const saidAt = (l: Loc, message: string): string => {
  const inside = insideArchive(l);
  return inside === undefined ? message : `${inside}: ${message}`;
};

export const location = (ctx: ServerContext, f: Folder, l: Loc): Location => ({ uri: ctx.uriOf(f, onDisk(l).file), range: range(onDisk(l)) });

/** Locations without repeats (the places of one archive are all its line 1). */
export function distinct(list: Location[]): Location[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const key = `${l.uri}\0${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

export function workspaceEdit(ctx: ServerContext, f: Folder, fix: Fix): WorkspaceEdit {
  const changes: Record<string, { range: Range; newText: string }[]> = {};
  for (const e of fix.edits) (changes[ctx.uriOf(f, e.loc.file)] ??= []).push({ range: range(e.loc), newText: e.newText });
  return { changes };
}

export const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function diagnostic(ctx: ServerContext, f: Folder, x: Finding): Diagnostic {
  const docs = RULE_META.get(x.rule)?.docs;
  return {
    range: range(x.loc),
    severity: SEVERITY[x.severity],
    source: 'port-parity',
    code: x.rule,
    ...(docs ? { codeDescription: { href: docs } } : {}),
    message: x.message,
    relatedInformation: x.related.map((r) => ({ location: location(ctx, f, r.loc), message: saidAt(r.loc, r.message) })),
  };
}
