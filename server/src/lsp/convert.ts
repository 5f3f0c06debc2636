// The core's locations, findings and fixes as LSP values (0-based positions both sides).
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic, Location, Range, WorkspaceEdit } from 'vscode-languageserver/node';
import { RULE_META } from '../core';
import type { Finding, Fix, Loc } from '../core';
import type { ServerContext } from './context';
import type { Folder } from './folder';

export const range = (l: Loc): Range => ({ start: { line: l.line, character: l.col }, end: { line: l.endLine, character: l.endCol } });

export const location = (ctx: ServerContext, f: Folder, l: Loc): Location => ({ uri: ctx.uriOf(f, l.file), range: range(l) });

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
    relatedInformation: x.related.map((r) => ({ location: location(ctx, f, r.loc), message: r.message })),
  };
}
