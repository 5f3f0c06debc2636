// Code actions: each finding's own fix under the cursor, and "align" for a drifting service (its edit
// resolved only when chosen, where the client can).
import { CodeAction, CodeActionKind } from 'vscode-languageserver/node';
import type { Position } from 'vscode-languageserver/node';
import { alignServiceFix, RULE_META, withDependentFixes } from '../../core';
import type { Fix } from '../../core';
import type { ServerContext } from '../context';
import { diagnostic, range, workspaceEdit } from '../convert';
import type { Folder } from '../folder';

/** "Align": the service's ports, and the references the move leaves on the old port, in one edit. */
export function alignFix(f: Folder, service: string): Fix | undefined {
  const fix = f.analysis && alignServiceFix(f.analysis.model, service);
  return fix && f.analysis ? withDependentFixes(f.files(), f.config, f.analysis.findings, fix) : undefined;
}

const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params, token) => ctx.runSafe(`computing code actions for ${params.textDocument.uri}`, [] as CodeAction[], token, () => {
    const at = ctx.locate(params.textDocument.uri);
    const analysis = at?.folder.analysis;
    if (!at || !analysis) return [];
    const f = at.folder;
    const actions: CodeAction[] = [];
    const r = params.range;
    const services = new Set<string>();
    for (const x of analysis.findings) {
      if (x.loc.file !== at.rel) continue;
      const xr = range(x.loc);
      if (!(before(xr.start, r.end) && before(r.start, xr.end))) continue;
      if (x.fix) {
        const a = CodeAction.create(x.fix.title, workspaceEdit(ctx, f, x.fix), CodeActionKind.QuickFix);
        a.diagnostics = [diagnostic(ctx, f, x)];
        a.isPreferred = true;
        actions.push(a);
      }
      // The rules whose findings offer "align" for their service say so in their meta.
      if (x.service && RULE_META.get(x.rule)?.alignable) services.add(x.service);
    }
    for (const s of services) {
      const fix = ctx.client.resolveEdit ? alignServiceFix(analysis.model, s) : alignFix(f, s);
      if (!fix || actions.some((a) => a.title === fix.title)) continue;
      const a = CodeAction.create(fix.title, CodeActionKind.QuickFix);
      if (ctx.client.resolveEdit) a.data = { folder: f.root, service: s };
      else a.edit = workspaceEdit(ctx, f, fix);
      actions.push(a);
    }
    return actions;
  }));
  // The edit of an "align" action, with the references the move leaves behind, once the user picks it.
  ctx.connection.onCodeActionResolve((action, token) => ctx.runSafe(`resolving the code action ${action.title}`, action, token, () => {
    const data = action.data as { folder?: string; service?: string } | undefined;
    const f = ctx.folders.find((x) => x.root === data?.folder);
    const fix = f && data?.service ? alignFix(f, data.service) : undefined;
    if (f && fix) action.edit = workspaceEdit(ctx, f, fix);
    return action;
  }));
}
