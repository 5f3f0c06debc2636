// Diagnostics: each evaluation's findings (and the config file's problems), sent only for the files whose list changed.
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { ServerContext } from '../context';
import { diagnostic, onDisk, range, saidAt } from '../convert';

/** What every folder holds now, by URI. */
function collect(ctx: ServerContext): Map<string, Diagnostic[]> {
  const next = new Map<string, Diagnostic[]>();
  for (const f of ctx.folders) {
    for (const x of f.analysis?.findings ?? []) {
      // A file read out of a chart archive is not on the disk: its finding shows on the archive, naming the file and line.
      const at = onDisk(x.loc);
      const uri = ctx.uriOf(f, at.file);
      const list = next.get(uri) ?? [];
      const d = diagnostic(ctx, f, x);
      list.push(at === x.loc ? d : { ...d, range: range(at), message: saidAt(x.loc, x.message) });
      next.set(uri, list);
    }
    if (f.configPath && f.configProblems.length) {
      const uri = ctx.uriOf(f, f.configPath);
      next.set(uri, [...(next.get(uri) ?? []), ...f.configProblems.map((p) => ({ range: range(p.loc), severity: DiagnosticSeverity.Error, source: 'port-parity', code: 'config', message: p.message }))]);
    }
  }
  return next;
}

export function registerDiagnostics(ctx: ServerContext): void {
  /** What was last published per URI, to send only changes. */
  const published = new Map<string, string>();
  ctx.onEvaluated(() => {
    const next = collect(ctx);
    // Only what changed goes out: an edit in one file does not resend a thousand files' diagnostics.
    for (const [uri, diagnostics] of next) {
      const text = JSON.stringify(diagnostics);
      if (published.get(uri) === text) continue;
      published.set(uri, text);
      void ctx.connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of [...published.keys()]) {
      if (next.has(uri)) continue;
      published.delete(uri);
      void ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  });
}
